import type { FormInstance } from 'antd';
import type { Locale } from '../shell/i18n/i18n';
import { ApiError } from './http';

/**
 * useAction's `onError` for a form: a server error naming a field the form shows (`fields` maps
 * the API's field to the form's) is shown under that field; any other API error goes to
 * `elsewhere` (an Alert above the form); anything that is no API error is thrown on.
 */
export function formFieldErrors<V>(
  form: FormInstance<V>, fields: Record<string, keyof V & string>, locale: Locale, elsewhere: (error: ApiError) => void,
): (error: ApiError, cause: unknown) => void {
  return (_, cause) => {
    if (!(cause instanceof ApiError)) throw cause;
    const formField = cause.field ? fields[cause.field] : undefined;
    if (formField) form.setFields([{ name: formField as never, errors: [cause.localized(locale)] }]);
    else elsewhere(cause);
  };
}
