/**
 * The service-item form's data, without React: what the form holds, what it sends, where a
 * server error is shown, and which proof items a material may name.
 */
import type { ApiError } from '../../api/http';
import type { Locale } from '../../shell/i18n/i18n';
import {
  regionWithin,
  type ApplicantKind,
  type DraftProofItem,
  type DraftServiceItem,
  type ServiceItemInput,
  type ServiceItemPatch,
  type ServiceMaterialInput,
} from '../types';

/** 3–64 letters, digits, `-`, `_`, `.`, starting with a letter or digit (the server's rule). */
export const SERVICE_ITEM_CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{2,63}$/;

/** A material is a proof item of the list or a form (申请表 …); a row keeps the kind it was added as. */
export type MaterialKind = 'proof' | 'form';

export interface MaterialRow {
  /** an existing material's id: kept, so applications that recorded it still find it */
  id?: string;
  kind: MaterialKind;
  proofItemId?: string;
  /** a form's name; for a proof item, a name of its own (empty: the proof item's name) */
  name?: string;
  required: boolean;
}

export interface ServiceItemFormValues {
  code: string;
  name: string;
  departmentId?: string;
  applicantKinds: ApplicantKind[];
  materials: MaterialRow[];
}

export function toFormValues(item: DraftServiceItem | undefined): ServiceItemFormValues {
  if (!item) return { code: '', name: '', departmentId: undefined, applicantKinds: [], materials: [] };
  return {
    code: item.code,
    name: item.name,
    departmentId: item.departmentId,
    applicantKinds: [...item.applicantKinds],
    materials: [...item.materials]
      .sort((a, b) => a.position - b.position)
      .map((m): MaterialRow =>
        m.proofItemId
          ? { id: m.id, kind: 'proof', proofItemId: m.proofItemId, name: m.name !== m.proofItemName ? m.name : undefined, required: m.required }
          : { id: m.id, kind: 'form', name: m.name, required: m.required },
      ),
  };
}

export function toMaterialInputs(rows: readonly MaterialRow[]): ServiceMaterialInput[] {
  return rows.map((row) => {
    const name = row.name?.trim() ?? '';
    const input: ServiceMaterialInput =
      row.kind === 'proof'
        ? { proofItemId: row.proofItemId ?? null, required: !!row.required, ...(name ? { name } : {}) }
        : { proofItemId: null, name, required: !!row.required };
    return row.id ? { id: row.id, ...input } : input;
  });
}

export function toCreateInput(values: ServiceItemFormValues): ServiceItemInput {
  return { code: values.code.trim(), ...toPatch(values) };
}

/** An edit sends every field but the code (the materials replace the whole list, in order). */
export function toPatch(values: ServiceItemFormValues): Required<ServiceItemPatch> {
  return {
    name: values.name.trim(),
    departmentId: values.departmentId ?? '',
    applicantKinds: [...values.applicantKinds],
    materials: toMaterialInputs(values.materials ?? []),
  };
}

export type FormPath = [string] | ['materials', number, 'proofItemId' | 'name'];

/**
 * The form field a server error's `field` is shown under: `materials.2.proofItemId` → the third
 * row's proof item (or its name, for a form), `materials.2` → the row's main field,
 * `applicantKinds.0` → 服务对象; undefined for anything else (shown above the form).
 */
export function formPathOf(apiField: string | undefined, rows: readonly Pick<MaterialRow, 'kind'>[]): FormPath | undefined {
  if (!apiField) return undefined;
  if (apiField === 'code' || apiField === 'name' || apiField === 'departmentId') return [apiField];
  if (/^applicantKinds(\.\d+)?$/.test(apiField)) return ['applicantKinds'];
  const material = /^materials\.(\d+)(?:\.(\w+))?$/.exec(apiField);
  if (!material) return undefined;
  const index = Number(material[1]);
  const row = rows[index];
  if (!row) return undefined;
  const main = row.kind === 'proof' ? 'proofItemId' : 'name';
  return ['materials', index, material[2] === 'name' ? 'name' : main];
}

/**
 * Each field the error names with its text: the error's own field, then each further violation
 * it lists (`details.violations`, or `details` itself, as `[{ field, code, message?, messageEn? }]`;
 * one without a message of its own shows the error's when it has the error's code).
 */
export function fieldErrorsOf(error: ApiError, locale: Locale): { field: string; text: string }[] {
  const list: { field: string; text: string }[] = [];
  if (error.field) list.push({ field: error.field, text: error.localized(locale) });
  const violations = Array.isArray(error.details) ? error.details : (error.details as { violations?: unknown } | null | undefined)?.violations;
  if (Array.isArray(violations)) {
    for (const v of violations) {
      if (typeof v !== 'object' || v === null) continue;
      const { field, message, messageEn, code } = v as { field?: unknown; message?: unknown; messageEn?: unknown; code?: unknown };
      if (typeof field !== 'string' || list.some((e) => e.field === field)) continue;
      const text =
        typeof message === 'string'
          ? locale === 'en' && typeof messageEn === 'string' ? messageEn : message
          : code === error.code ? error.localized(locale) : undefined;
      if (text) list.push({ field, text });
    }
  }
  return list;
}

/** Whether a proof item may be a material of a department's item: one region holds the other (the province's proof items serve its cities). */
export function proofItemApplies(proofRegion: string, departmentRegion: string): boolean {
  return regionWithin(departmentRegion, proofRegion) || regionWithin(proofRegion, departmentRegion);
}

export interface ProofOptionGroup {
  label: string;
  /** the region the group lists */
  regionCode: string;
  options: { value: string; label: string; disabled?: boolean }[];
}

/**
 * The proof items a material may name, grouped by region (the department's own first): only
 * those that apply to the department's region once it is known; the row's current choice always
 * (so it shows by name even where it no longer applies); those chosen by other rows disabled.
 */
export function proofItemOptions(
  proofItems: readonly DraftProofItem[],
  opts: { departmentRegion?: string; current?: string; chosenElsewhere?: ReadonlySet<string>; regionName: (code: string) => string },
): ProofOptionGroup[] {
  const groups = new Map<string, ProofOptionGroup>();
  for (const p of proofItems) {
    const applies = !opts.departmentRegion || proofItemApplies(p.regionCode, opts.departmentRegion);
    if (!applies && p.id !== opts.current) continue;
    let group = groups.get(p.regionCode);
    if (!group) {
      group = { label: opts.regionName(p.regionCode), regionCode: p.regionCode, options: [] };
      groups.set(p.regionCode, group);
    }
    const disabled = p.id !== opts.current && !!opts.chosenElsewhere?.has(p.id);
    group.options.push({ value: p.id, label: `${p.name} · ${p.issuingDepartmentName}`, ...(disabled ? { disabled } : {}) });
  }
  const own = opts.departmentRegion;
  return [...groups.values()].sort((a, b) => {
    if (own && (a.regionCode === own) !== (b.regionCode === own)) return a.regionCode === own ? -1 : 1;
    return a.regionCode.localeCompare(b.regionCode);
  });
}
