import { Type } from 'typebox';
import { APPLICANT_KINDS } from '../domain/applicant-kinds.ts';
import { METHODS, PROOF_ITEM_NAME_MAX, RISK_CATEGORIES } from '../domain/proof-item.ts';
import { MAX_MATERIALS, SERVICE_ITEM_CODE_PATTERN, SERVICE_ITEM_NAME_MAX } from '../domain/service-item.ts';
import { VersionNumber } from '../../shared/http.ts';

export const MethodSchema = Type.Union(METHODS.map((m) => Type.Literal(m)), { $id: 'ExemptionMethod', description: '免提交方式' });
export const RiskCategorySchema = Type.Union(RISK_CATEGORIES.map((m) => Type.Literal(m)));
export const ApplicantKindSchema = Type.Union(APPLICANT_KINDS.map((k) => Type.Literal(k)), { $id: 'ApplicantKind', description: '服务对象:person 自然人 · enterprise 法人' });
const ApplicantKinds = Type.Array(Type.Ref('ApplicantKind'), { minItems: 1, description: '服务对象 Who may apply: person (自然人), enterprise (法人) or both' });

export const CommitmentRuleSchema = Type.Object({
  conditions: Type.String({ maxLength: 2000, description: '承诺的条件和标准' }),
  consequence: Type.String({ maxLength: 2000, description: '虚假承诺的后果' }),
  postCheck: Type.Object({
    samplingRate: Type.Number({ minimum: 0, maximum: 1, description: '事后核查抽查比例' }),
    withinDays: Type.Integer({ minimum: 1, maximum: 3650, description: '核查期限(天)' }),
  }, { additionalProperties: false }),
}, { additionalProperties: false, $id: 'CommitmentRule' });

export const VersionSchema = Type.Object({
  number: Type.Integer(), publishedAt: Type.String(), publishedBy: Type.String(), note: Type.String(),
  proofItemCount: Type.Integer(), serviceItemCount: Type.Integer(), contentDigest: Type.String(),
}, { $id: 'CatalogVersion' });

export const VersionRef = Type.Object({ number: Type.Integer(), publishedAt: Type.String() });

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ProofItemSummarySchema = Type.Object({
  id: Type.String(), name: Type.String(), issuingDepartment: Type.Object({ id: Type.String(), name: Type.String() }),
  regionCode: Type.String(), regionName: Type.String(), legalBasis: Type.String(), methods: Type.Array(Type.Ref('ExemptionMethod')),
  serviceItemCount: Type.Integer(), notes: Type.String(),
}, { $id: 'ProofItemSummary' });

export const ProofItemDetailSchema = Type.Object({
  id: Type.String(), name: Type.String(), issuingDepartment: Type.Object({ id: Type.String(), name: Type.String() }),
  regionCode: Type.String(), regionName: Type.String(), legalBasis: Type.String(), methods: Type.Array(Type.Ref('ExemptionMethod')),
  serviceItemCount: Type.Integer(), notes: Type.String(), riskCategory: Nullable(Type.String()),
  commitment: Type.Union([Type.Ref('CommitmentRule'), Type.Null()]),
  serviceItems: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), departmentName: Type.String(), regionName: Type.String(), applicantKinds: ApplicantKinds })),
  version: VersionRef,
}, { $id: 'ProofItemDetail' });

export const ServiceItemSummarySchema = Type.Object({
  code: Type.String(), name: Type.String(), department: Type.Object({ id: Type.String(), name: Type.String() }),
  regionCode: Type.String(), regionName: Type.String(), applicantKinds: ApplicantKinds, materialCount: Type.Integer(), proofFreeCount: Type.Integer(),
}, { $id: 'ServiceItemSummary' });

export const MaterialSchema = Type.Object({
  id: Type.String(), name: Type.String(), required: Type.Boolean(), proofItemId: Nullable(Type.String()), proofItemName: Nullable(Type.String()),
  issuingDepartmentName: Nullable(Type.String()), mustProvide: Type.Boolean(), method: Type.String(), methods: Type.Array(Type.String()),
  legalBasis: Type.String(), explanation: Type.String(), explanationEn: Type.String(),
}, { $id: 'MaterialExplained' });

export const ServiceItemDetailSchema = Type.Object({
  code: Type.String(), name: Type.String(), department: Type.Object({ id: Type.String(), name: Type.String() }),
  regionCode: Type.String(), regionName: Type.String(), applicantKinds: ApplicantKinds, version: VersionRef, materials: Type.Array(Type.Ref('MaterialExplained')),
}, { $id: 'ServiceItemDetail' });

export const ChangelogEntrySchema = Type.Object({
  kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('method_changed'), Type.Literal('legal_basis_changed'), Type.Literal('changed')]),
  proofItemId: Type.String(), name: Type.String(), issuingDepartmentName: Type.String(),
  before: Type.Optional(Type.Object({ methods: Type.Array(Type.String()), legalBasis: Type.String() })),
  after: Type.Optional(Type.Object({ methods: Type.Array(Type.String()), legalBasis: Type.String() })),
  fields: Type.Optional(Type.Array(Type.String())),
}, { $id: 'ChangelogEntry' });

export const ServiceItemChangeSchema = Type.Object({
  kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  code: Type.String(), name: Type.String(), departmentName: Type.String(), regionName: Type.String(),
  fields: Type.Optional(Type.Array(Type.String({ description: 'name, department, region, applicantKinds, materials' }))),
}, { $id: 'ServiceItemChange' });

export const DraftProofItemSchema = Type.Object({
  id: Type.String(), name: Type.String(), issuingDepartmentId: Type.String(), issuingDepartmentName: Type.String(),
  regionCode: Type.String(), regionName: Type.String(), legalBasis: Type.String(), methods: Type.Array(Type.Ref('ExemptionMethod')),
  riskCategory: Nullable(Type.String()), commitment: Type.Union([Type.Ref('CommitmentRule'), Type.Null()]), notes: Type.String(),
  serviceItemCodes: Type.Array(Type.String()),
}, { $id: 'DraftProofItem' });

const RegionCode = Type.String({ pattern: '^[1-9][0-9]{5}$', description: 'GB/T 2260 六位行政区划代码' });

export const ProofItemInputSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: PROOF_ITEM_NAME_MAX }),
  issuingDepartmentId: Type.String({ minLength: 1, maxLength: 64 }),
  regionCode: RegionCode,
  legalBasis: Type.String({ maxLength: 2000 }),
  methods: Type.Array(Type.Ref('ExemptionMethod'), { minItems: 1, maxItems: 7 }),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
  riskCategory: Type.Optional(Type.Union([RiskCategorySchema, Type.Null()])),
  commitment: Type.Optional(Type.Union([Type.Ref('CommitmentRule'), Type.Null()])),
}, { additionalProperties: false });

export const ProofItemPatchSchema = Type.Partial(ProofItemInputSchema, { additionalProperties: false, minProperties: 1 });

export const DraftServiceItemSchema = Type.Object({
  code: Type.String(), name: Type.String(), departmentId: Type.String(), departmentName: Type.String(), regionCode: Type.String(), regionName: Type.String(),
  applicantKinds: ApplicantKinds,
  materials: Type.Array(Type.Object({
    id: Type.String(), position: Type.Integer(), name: Type.String(), required: Type.Boolean(),
    proofItemId: Nullable(Type.String()), proofItemName: Nullable(Type.String({ description: 'the proof item\'s name in the draft' })),
  })),
  mayChange: Type.Boolean({ description: 'the caller\'s region covers the item\'s region' }),
  activeAuthorizations: Type.Integer({ description: '帮办代办 authorizations in force that name this item: once a version without it is published, they no longer let the agent apply for it' }),
}, { $id: 'DraftServiceItem' });

const MaterialInputSchema = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 200, description: 'an existing material of this item: kept (same id) while it names the same proof item' })),
  name: Type.Optional(Type.String({ maxLength: SERVICE_ITEM_NAME_MAX, description: 'required for a form; a proof item\'s material takes the proof item\'s name when empty' })),
  proofItemId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  required: Type.Boolean(),
}, { additionalProperties: false });

const ServiceItemFieldsSchema = {
  name: Type.String({ minLength: 1, maxLength: SERVICE_ITEM_NAME_MAX }),
  departmentId: Type.String({ minLength: 1, maxLength: 64, description: '实施部门; the item\'s region is the department\'s' }),
  applicantKinds: Type.Array(Type.Ref('ApplicantKind'), { minItems: 1, maxItems: 2, uniqueItems: true, description: '服务对象' }),
  materials: Type.Array(MaterialInputSchema, { maxItems: MAX_MATERIALS, description: 'the materials in order (replaces the list)' }),
};

export const ServiceItemInputSchema = Type.Object({
  code: Type.String({ pattern: SERVICE_ITEM_CODE_PATTERN, description: '事项编码: 3–64 letters, digits, ".", "_", "-"' }),
  ...ServiceItemFieldsSchema,
}, { additionalProperties: false });

export const ServiceItemPatchSchema = Type.Partial(Type.Object(ServiceItemFieldsSchema), { additionalProperties: false, minProperties: 1 });

export const PageQuery = {
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  version: Type.Optional(VersionNumber()),
};
export { RegionCode };
