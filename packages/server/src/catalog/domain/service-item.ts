import type { ErrorCode } from '../../shared/errors.ts';
import type { ApplicantKind } from './applicant-kinds.ts';

/**
 * A service item (政务服务事项) as a catalog administrator writes it into the draft: what
 * people apply for, who may apply (服务对象), and the materials it requires in order — each
 * either a proof item of the list (证明事项, satisfied by its exemption methods) or a form the
 * applicant fills in (申请表…). Its region is its department's (实施部门).
 */
export interface ServiceItemFields {
  name: string;
  departmentId: string;
  applicantKinds: ApplicantKind[];
  materials: MaterialInput[];
}

export interface MaterialInput {
  /** an existing material of the item keeps its id (applications recorded it) */
  id?: string;
  /** a proof item's material may leave it empty: the proof item's name */
  name: string;
  proofItemId: string | null;
  required: boolean;
}

export const SERVICE_ITEM_CODE_PATTERN = '^[0-9A-Za-z][0-9A-Za-z._-]{2,63}$';
export const SERVICE_ITEM_NAME_MAX = 200;
export const MAX_MATERIALS = 60;

export interface ServiceItemViolation { code: ErrorCode; field: string; message?: string; messageEn?: string }

/**
 * The rules that need no database: a name; a name for every form material; no proof item
 * twice. (Schema validation has already bounded lengths and shapes.)
 */
export function checkServiceItemRules(s: ServiceItemFields): ServiceItemViolation[] {
  const violations: ServiceItemViolation[] = [];
  if (s.name.trim() === '') violations.push({ code: 'CATALOG.SERVICE_ITEM_NAME_REQUIRED', field: 'name' });
  const seen = new Map<string, number>();
  s.materials.forEach((m, i) => {
    if (m.proofItemId === null && m.name.trim() === '') violations.push({ code: 'CATALOG.MATERIAL_NAME_REQUIRED', field: `materials.${i}.name` });
    if (m.proofItemId !== null) {
      const first = seen.get(m.proofItemId);
      if (first !== undefined) {
        violations.push({
          code: 'CATALOG.DUPLICATE_MATERIAL', field: `materials.${i}.proofItemId`,
          message: `第 ${i + 1} 项材料与第 ${first + 1} 项是同一证明事项（${m.proofItemId}）`,
          messageEn: `Material ${i + 1} is the same proof item (${m.proofItemId}) as material ${first + 1}`,
        });
      } else seen.set(m.proofItemId, i);
    }
  });
  return violations;
}
