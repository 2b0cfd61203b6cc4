import type { ColumnType } from 'kysely';

/** Kysely table types of migrations 0007 (applications) and 0008 (commitments, verifications, credit), with 0018's review period. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export interface BundleApplicationsTable {
  id: string; ref: string; bundle_code: string; bundle_name: string; applicant_account_id: string | null; applicant_name: string; created_at: Timestamp;
}

export interface ApplicationsTable {
  id: string; ref: string; bundle_id: string | null; service_item_code: string; service_item_name: string; department_id: string; department_name: string;
  region_code: string; catalog_version: number; status: string; applicant_account_id: string | null; applicant_kind: 'person' | 'enterprise';
  applicant_name: string; applicant_code_enc: string; applicant_code_hash: string; applicant_code_mask: string; created_by_account_id: string;
  agent_account_id: string | null; identity_check_id: string | null; form: Json<Record<string, unknown>>; created_at: Timestamp;
  submitted_at: NullableTimestamp; period_month: string | null; review_due_at: NullableTimestamp; decided_at: NullableTimestamp;
  /** migration 0018: start and length of the review period, from which review_due_at is recomputed when the calendar changes */
  review_started_at: NullableTimestamp; review_working_days: ColumnType<number | null, number | null | undefined, number | null>;
  decided_by: string | null; decision_reason: string | null; completed_at: NullableTimestamp;
  revocation_suggested: ColumnType<boolean, boolean | undefined, boolean>; updated_at: Timestamp;
}

export interface MaterialResolutionsTable {
  id: string; application_id: string; bundle_id: string | null; proof_item_id: string; proof_item_name: string; issuing_department_id: string;
  issuing_department_name: string; legal_basis: string; methods: string[]; method: string | null; status: string; without_submission: boolean | null;
  attempts: Json<unknown[]>; evidence: Json<Record<string, unknown> | null>; explanation: string; explanation_en: string;
  resolved_at: NullableTimestamp; updated_at: Timestamp;
}

export interface ApplicationMaterialsTable {
  application_id: string; material_id: string; position: number; name: string; required: boolean; proof_item_id: string | null; resolution_id: string | null;
}

export interface ApplicationFilesTable {
  id: string; application_id: string; resolution_id: string | null; filename: string; media_type: string; size: number; sm3: string;
  content: Buffer; uploaded_by: string; uploaded_at: Timestamp;
}

export interface AgentAuthorizationsTable {
  id: string; principal_account_id: string; principal_name: string; agent_account_id: string; agent_name: string; service_item_codes: string[];
  valid_from: Timestamp; valid_until: Timestamp; status: 'active' | 'revoked'; created_at: Timestamp; revoked_at: NullableTimestamp;
}

export interface IdentityChecksTable {
  id: string; method: 'document' | 'face'; subject_name: string; subject_kind: 'person' | 'enterprise'; subject_code_enc: string; subject_code_hash: string;
  subject_code_mask: string; verified: boolean; checks: Json<unknown>; checked_by: string; checked_at: Timestamp;
}

export interface NotificationsTable {
  id: string; recipient_account_id: string; kind: string; title: string; body: string; link: string | null; created_at: Timestamp; read_at: NullableTimestamp;
  /** migration 0021: the English title and body; null for notices written before it */
  title_en: string | null; body_en: string | null;
}

export interface CommitmentsTable {
  id: string; application_id: string; resolution_id: string; proof_item_id: string; proof_item_name: string; issuing_department_id: string;
  applicant_account_id: string | null; applicant_name: string; applicant_code_hash: string; applicant_code_mask: string; notice: Json<Record<string, string>>;
  text: string; text_digest: string; rule: Json<{ conditions: string; consequence: string; postCheck: { samplingRate: number; withinDays: number } }>;
  status: 'pending_signature' | 'signed' | 'declined' | 'found_false'; created_at: Timestamp; signed_at: NullableTimestamp; signed_by: string | null;
  signed_via: 'own_account' | 'in_person' | null; seal: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>; period_month: string | null;
}

export interface VerificationRequestsTable {
  id: string; application_id: string; application_ref: string; resolution_id: string; proof_item_id: string; proof_item_name: string;
  issuing_department_id: string; requesting_department_id: string; requesting_department_name: string; subject_name: string; subject_kind: string;
  subject_code_hash: string; subject_code_mask: string; question: string; status: 'pending' | 'escalated' | 'confirmed' | 'denied' | 'withdrawn';
  requested_at: Timestamp; due_at: Timestamp; working_days: number; escalated_at: NullableTimestamp; answered_at: NullableTimestamp;
  answered_by: string | null; reason: string | null; period_month: string;
}

export interface PostChecksTable {
  id: string; commitment_id: string; application_id: string; application_ref: string; proof_item_id: string; proof_item_name: string;
  assigned_department_id: string; subject_name: string; subject_code_hash: string; subject_code_mask: string; reason: 'sampled' | 'credit_history';
  status: 'open' | 'done'; created_at: Timestamp; due_at: Timestamp; result: boolean | null; note: string | null; checked_by: string | null; checked_at: NullableTimestamp;
}

export interface CreditRecordsTable {
  id: string; subject_code_hash: string; subject_code_mask: string; subject_name: string; subject_kind: string; type: 'false_commitment';
  source_type: string; source_id: string; source_ref: string; department_id: string; detail: string; recorded_at: Timestamp; valid_until: Timestamp;
  status: 'active' | 'repaired'; repaired_at: NullableTimestamp; repaired_by: string | null; repair_reason: string | null;
}

export interface ApplicationTables {
  bundle_applications: BundleApplicationsTable;
  applications: ApplicationsTable;
  material_resolutions: MaterialResolutionsTable;
  application_materials: ApplicationMaterialsTable;
  application_files: ApplicationFilesTable;
  agent_authorizations: AgentAuthorizationsTable;
  identity_checks: IdentityChecksTable;
  notifications: NotificationsTable;
  commitments: CommitmentsTable;
  verification_requests: VerificationRequestsTable;
  post_checks: PostChecksTable;
  credit_records: CreditRecordsTable;
}
