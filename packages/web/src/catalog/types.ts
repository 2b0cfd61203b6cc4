/** Shapes of the catalog API as the UI reads them (see the server's OpenAPI). */

export const exemptionMethods = [
  'cancelled',
  'data_sharing',
  'e_license',
  'dept_verification',
  'commitment',
  'online_issue',
  'retained',
] as const;

export type ExemptionMethod = (typeof exemptionMethods)[number];

export function isExemptionMethod(value: string): value is ExemptionMethod {
  return (exemptionMethods as readonly string[]).includes(value);
}

export interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district';
  parentCode: string | null;
}

export interface Department {
  id: string;
  code: string;
  name: string;
  regionCode: string;
  category: string;
}

export interface VersionRef {
  number: number;
  publishedAt: string;
}

export interface Page<T> {
  version: VersionRef;
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface ProofItemSummary {
  id: string;
  name: string;
  issuingDepartment: { id: string; name: string };
  regionCode: string;
  regionName: string;
  legalBasis: string;
  methods: string[];
  serviceItemCount: number;
  notes?: string | null;
}

export interface Commitment {
  conditions: string;
  consequence: string;
  postCheck: { samplingRate: number; withinDays: number };
}

export interface ProofItemDetail extends ProofItemSummary {
  commitment?: Commitment | null;
  serviceItems: Array<{ code: string; name: string; departmentName: string; regionName: string; applicantKinds?: ApplicantKind[] }>;
  version: VersionRef;
}

/** 服务对象: who may apply for a service item. */
export type ApplicantKind = 'person' | 'enterprise';
export const APPLICANT_KINDS: readonly ApplicantKind[] = ['person', 'enterprise'];

export interface ServiceItemSummary {
  code: string;
  name: string;
  department: { id: string; name: string };
  regionCode: string;
  regionName: string;
  applicantKinds: ApplicantKind[];
  materialCount: number;
  proofFreeCount: number;
}

export interface Material {
  id: string;
  name: string;
  proofItemId?: string | null;
  proofItemName?: string | null;
  mustProvide: boolean;
  method: string;
  methods: string[];
  legalBasis: string;
  issuingDepartmentName?: string | null;
  explanation: string;
  explanationEn: string;
}

export interface ServiceItemDetail {
  code: string;
  name: string;
  department: { id: string; name: string };
  regionCode: string;
  regionName: string;
  applicantKinds: ApplicantKind[];
  version: VersionRef;
  materials: Material[];
}

export interface CatalogVersion {
  number: number;
  publishedAt: string;
  publishedBy: string;
  note: string;
  proofItemCount: number;
  serviceItemCount: number;
}

export type ChangeKind = 'added' | 'removed' | 'method_changed' | 'legal_basis_changed' | 'changed';

export interface ChangelogEntry {
  kind: ChangeKind;
  proofItemId: string;
  name: string;
  issuingDepartmentName: string;
  before?: { methods: string[]; legalBasis: string } | null;
  after?: { methods: string[]; legalBasis: string } | null;
  /** for 'changed': which other fields differ (name, issuingDepartment, notes, region, commitment) */
  fields?: string[];
}

/** A field of a service item whose change the changelog names. */
export type ServiceItemChangeField = 'name' | 'department' | 'region' | 'applicantKinds' | 'materials';
export const SERVICE_ITEM_CHANGE_FIELDS: readonly ServiceItemChangeField[] = ['name', 'department', 'region', 'applicantKinds', 'materials'];

export type ServiceItemChangeKind = 'added' | 'removed' | 'changed';
export const SERVICE_ITEM_CHANGE_KINDS: readonly ServiceItemChangeKind[] = ['added', 'removed', 'changed'];

/**
 * A service item (政务服务事项) added, removed or changed between two states of the list, by code;
 * the server sorts them added, removed, changed, then by code.
 */
export interface ServiceItemChange {
  kind: ServiceItemChangeKind;
  code: string;
  name: string;
  departmentName: string;
  regionName: string;
  /** for 'changed': which fields differ (materials: their names, order, proof items or whether required) */
  fields?: ServiceItemChangeField[];
}

export interface Changelog {
  from: number;
  to: number;
  entries: ChangelogEntry[];
  /** the service items the later version adds, removes or changes */
  serviceItemEntries: ServiceItemChange[];
}

export interface DraftProofItem {
  id: string;
  name: string;
  issuingDepartmentId: string;
  issuingDepartmentName: string;
  regionCode: string;
  legalBasis: string;
  methods: string[];
  notes?: string | null;
  riskCategory?: string | null;
  commitment?: Commitment | null;
}

/** What the signed-in catalog administrator may do with the draft. */
export interface DraftViewer {
  /** the administrator changes the proof items of this region and those within it; null: of every region */
  regionCode: string | null;
  regionName: string | null;
  /** only the province's catalog administrator publishes a version */
  mayPublish: boolean;
}

export interface Draft {
  basedOn: number | null;
  proofItems: DraftProofItem[];
  pendingChanges: ChangelogEntry[];
  /** the service items the next version adds, removes or changes */
  pendingServiceItemChanges: ServiceItemChange[];
  viewer: DraftViewer;
}

/** Whether a region is the scope region or one within it (a province xx0000 holds its cities, a city xxxx00 its districts). */
export function regionWithin(region: string, scope: string): boolean {
  const prefix = scope.endsWith('0000') ? scope.slice(0, 2) : scope.endsWith('00') ? scope.slice(0, 4) : scope;
  return region.startsWith(prefix);
}

export interface ProofItemInput {
  name: string;
  issuingDepartmentId: string;
  regionCode: string;
  legalBasis: string;
  methods: string[];
  notes?: string;
  riskCategory?: string | null;
  commitment?: Commitment | null;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  total: number;
}

/** What an import of a list of service items (政务服务事项清单) did; materials are counted over the file's rows. */
export interface ServiceItemImportResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  /** materials linked by name to a proof item of the list */
  proofMaterials: number;
  /** the other materials: forms (申请表 …) */
  formMaterials: number;
}

export interface ImportRowError {
  row: number;
  column: string;
  reason: string;
  reasonEn?: string;
  code?: string;
}

/** A material of a service item in the draft: a proof item of the list (证明事项) or, with no proofItemId, a form (申请表…). */
export interface DraftServiceMaterial {
  id: string;
  position: number;
  name: string;
  required: boolean;
  proofItemId: string | null;
  proofItemName: string | null;
}

/** A service item (政务服务事项) as the draft holds it, for its catalog administrators. */
export interface DraftServiceItem {
  code: string;
  name: string;
  departmentId: string;
  departmentName: string;
  regionCode: string;
  regionName: string;
  applicantKinds: ApplicantKind[];
  materials: DraftServiceMaterial[];
  /** the caller's region covers the item's region */
  mayChange: boolean;
  /** 帮办代办 authorizations in force that name it: once a version without it is published, they no longer cover it */
  activeAuthorizations: number;
}

export interface DraftServiceItemList {
  /** one page of the matches */
  items: DraftServiceItem[];
  /** all that match */
  total: number;
  page: number;
  pageSize: number;
  viewer: DraftViewer;
}

export interface ServiceMaterialInput {
  /** an existing material of the item keeps its id */
  id?: string;
  /** a proof item's material without a name takes the proof item's name; a form needs one */
  name?: string;
  proofItemId?: string | null;
  required: boolean;
}

export interface ServiceItemInput {
  code: string;
  name: string;
  departmentId: string;
  applicantKinds: ApplicantKind[];
  materials: ServiceMaterialInput[];
}

export type ServiceItemPatch = Partial<Omit<ServiceItemInput, 'code'>>;
