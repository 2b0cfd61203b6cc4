import type { FormInstance } from 'antd';
import type { Locale } from '../shell/i18n/i18n';
import { ApiError } from './http';

/**
 * The form field an API field is shown under: `fields` maps the API's field to the form's, or is a
 * function doing so (for forms whose fields follow data, e.g. a license type's); an element of a
 * list (`serviceItemCodes.2`, `items[2]`) falls back to the list's field.
 */
export type FieldMap<V> = Record<string, keyof V & string> | ((apiField: string) => (keyof V & string) | undefined);

export function formFieldOf<V>(fields: FieldMap<V>, apiField: string | undefined): (keyof V & string) | undefined {
  if (!apiField) return undefined;
  const lookup = (name: string) => (typeof fields === 'function' ? fields(name) : Object.hasOwn(fields, name) ? fields[name] : undefined);
  return lookup(apiField) ?? lookup(apiField.replace(/(\.\d+|\[\d+\])+$/, ''));
}

/** An error's other violations (`details: [{ field, message, messageEn }]`, e.g. LICENSE.FIELDS_INVALID), each with its field. */
function violationsOf(error: ApiError): { field: string; message: string; messageEn: string }[] {
  if (!Array.isArray(error.details)) return [];
  return error.details.filter((d): d is { field: string; message: string; messageEn: string } =>
    typeof d === 'object' && d !== null && typeof (d as { field?: unknown }).field === 'string' && typeof (d as { message?: unknown }).message === 'string')
    .map((d) => ({ field: d.field, message: d.message, messageEn: typeof d.messageEn === 'string' ? d.messageEn : d.message }));
}

/**
 * useAction's `onError` for a form: a server error naming a field the form shows is shown under
 * that field (and so is each further violation the error lists in `details` under its own field);
 * any other API error goes to `elsewhere` (an Alert above the form); anything that is no API error
 * is thrown on.
 */
export function formFieldErrors<V>(
  form: FormInstance<V>, fields: FieldMap<V>, locale: Locale, elsewhere: (error: ApiError) => void,
): (error: ApiError, cause: unknown) => void {
  return (_, cause) => {
    if (!(cause instanceof ApiError)) throw cause;
    const formField = formFieldOf(fields, cause.field);
    if (!formField) {
      elsewhere(cause);
      return;
    }
    const errors = new Map<string, string[]>([[formField, [cause.localized(locale)]]]);
    for (const v of violationsOf(cause)) {
      const name = formFieldOf(fields, v.field);
      if (!name) continue;
      const text = locale === 'en' ? v.messageEn : v.message;
      const shown = errors.get(name) ?? [];
      if (!shown.includes(text)) errors.set(name, [...shown, text]);
    }
    form.setFields([...errors].map(([name, list]) => ({ name: name as never, errors: list })));
  };
}
