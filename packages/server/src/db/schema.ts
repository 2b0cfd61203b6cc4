import type { ColumnType, Generated } from 'kysely';
import type { ApplicationTables } from './schema-applications.ts';
import type { ExchangeTables } from './schema-exchange.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** 服务对象: who may apply for a service item. */
export type ApplicantKind = 'person' | 'enterprise';

export interface RegionsTable { code: string; name: string; level: 'province' | 'city' | 'district'; parent_code: string | null }
export interface DepartmentsTable { id: string; uscc: string; name: string; region_code: string; category: string }
export interface AccountsTable {
  id: string; username: string; display_name: string; kind: 'person' | 'enterprise' | 'staff';
  password_hash: string | null; roles: string[]; department_id: string | null; region_code: string | null;
  id_number_enc: string | null; id_number_hash: string | null; id_number_mask: string | null; uscc: string | null;
  external_subject: string | null; uscc_hash: ColumnType<string | null, string | null | undefined, string | null>; disabled: ColumnType<boolean, boolean | undefined, boolean>; created_at: ColumnType<Date, Date | string | undefined, never>;
  identity_verification: ColumnType<'assumed' | 'pending' | 'in_person' | 'online', 'assumed' | 'pending' | 'in_person' | 'online' | undefined, 'assumed' | 'pending' | 'in_person' | 'online'>;
  identity_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>; identity_verified_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** migration 0019: when the password was last set */
  password_changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
/** migration 0019: hashes of the passwords an account replaced, the most recent four */
export interface PasswordHistoryTable { id: Generated<number>; account_id: string; password_hash: string; replaced_at: Timestamp }
export interface SessionsTable { token_hash: string; account_id: string; created_at: ColumnType<Date, Date | string | undefined, never>; expires_at: Timestamp; last_seen_at: ColumnType<Date, Date | string | undefined, Date | string> }
export interface LoginAttemptsTable { key: string; failures: number; window_start: Timestamp; locked_until: Timestamp | null }
export interface AuditLogTable {
  chain: ColumnType<number, number | undefined, never>;
  seq: number; at: Timestamp; actor_id: string | null; actor_role: string | null; on_behalf_of: string | null;
  action: string; subject_type: string; subject_id: string; purpose: string | null; legal_basis: string | null;
  change_digest: string; prev_hash: string; hash: string;
}
export interface IdempotencyKeysTable { key: string; account_id: string; request_hash: string; status: number; response: Json<unknown>; created_at: ColumnType<Date, Date | string | undefined, never> }

export interface CommitmentRule { conditions: string; consequence: string; postCheck: { samplingRate: number; withinDays: number } }

export interface ProofItemsTable {
  id: ColumnType<string, string | undefined, string>; name: string; issuing_department_id: string; region_code: string; legal_basis: string; methods: string[];
  risk_category: string | null; commitment: Json<CommitmentRule | null>; notes: string; updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
/** `applicant_kinds`: 服务对象, who may apply (migration 0020). */
export interface ServiceItemsTable { code: string; name: string; department_id: string; region_code: string; applicant_kinds: ApplicantKind[] }
export interface ServiceItemMaterialsTable { id: string; service_item_code: string; position: number; name: string; proof_item_id: string | null; required: boolean }
export interface CatalogVersionsTable { number: number; published_at: Timestamp; published_by: string; note: string; proof_item_count: number; service_item_count: number; content_digest: string }
export interface PublishedProofItemsTable {
  version_number: number; id: string; name: string; issuing_department_id: string; issuing_department_name: string;
  region_code: string; region_name: string; legal_basis: string; methods: string[]; risk_category: string | null;
  commitment: Json<CommitmentRule | null>; notes: string; service_item_codes: string[];
}
export interface PublishedServiceItemsTable {
  version_number: number; code: string; name: string; department_id: string; department_name: string;
  region_code: string; region_name: string; materials: Json<PublishedMaterial[]>; applicant_kinds: ApplicantKind[];
}
export interface PublishedMaterial { id: string; name: string; required: boolean; proofItemId: string | null }

export interface AccessLogTable {
  id: string; at: Timestamp; subject_hash: string; subject_kind: 'person' | 'enterprise'; subject_mask: string;
  accessor_department_id: string | null; accessor_name: string; accessor_account_id: string | null; accessor_role: string | null;
  on_behalf_of: string | null; data_item: string; data_item_label: string; purpose: string; application_ref: string | null;
  legal_basis: string; outcome: string; detail: Json<Record<string, unknown>>;
}

export interface SigningKeysTable {
  key_id: string; owner_id: string; suite: 'SM2-SM3' | 'Ed25519'; public_key: string; private_key_sealed: string;
  status: 'active' | 'retired'; created_at: Timestamp; retired_at: Timestamp | null;
}

// ---- licenses (0005) ----
export interface LicenseTypesTable {
  code: string; name: string; defining_agency_name: string; holder_kind: '111' | '001';
  fields: Json<import('../licenses/domain/license-type.ts').FieldDefinition[]>; issuing_department_ids: string[];
  validity: Json<import('../licenses/domain/license-type.ts').ValidityRule>; legal_basis: string; description: string;
  created_at: ColumnType<Date, Date | string | undefined, never>; updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** 0022: the current version; its snapshot is in license_type_versions. */
  version: ColumnType<number, number | undefined, number>;
}
/** 0022: immutable snapshots of a type's definition, one per version. */
export interface LicenseTypeVersionsTable {
  type_code: string; version: number; name: string; defining_agency_name: string; holder_kind: '111' | '001';
  fields: Json<import('../licenses/domain/license-type.ts').FieldDefinition[]>; issuing_department_ids: string[];
  validity: Json<import('../licenses/domain/license-type.ts').ValidityRule>; legal_basis: string; description: string;
  created_at: ColumnType<Date, Date | string | undefined, never>; created_by: string | null;
}
export interface LicenseTypeProofItemsTable { proof_item_id: string; license_type_code: string; linked_at: ColumnType<Date, Date | string | undefined, Date | string>; linked_by: string }
export interface LicenseStatusListsTable { issuer_department_id: string; next_index: number }
export interface LicensesTable {
  id: string; identifier: string; license_number: string; type_code: string; issuer_department_id: string; holder_kind: '111' | '001';
  holder_enc: string; holder_hash: string; holder_mask: string; holder_name_mask: string; status: 'valid' | 'suspended' | 'revoked';
  status_index: number; valid_from: string; valid_until: string | null; issued_at: Timestamp; issued_by: string | null;
  suite: 'SM2-SM3' | 'Ed25519'; key_id: string; document_sealed: string; document_digest: string; batch_id: string | null;
  /** 0022: the license_type_versions version the license was checked against. */
  type_version: number;
}
export interface LicenseStatusEventsTable {
  id: string; license_id: string; at: Timestamp; action: 'suspend' | 'reinstate' | 'revoke'; from_status: string; to_status: string; reason: string; actor_id: string;
}
export interface LicenseGrantsTable {
  id: string; license_id: string; holder_hash: string; department_id: string; service_item_code: string | null; application_ref: string | null;
  purpose: string; valid_until: Timestamp; created_at: Timestamp; created_by: string; revoked_at: Timestamp | null;
}
export interface LicensePresentationsTable {
  nonce: string; license_id: string; holder_account_id: string; audience_kind: 'account' | 'department' | null; audience_id: string | null;
  disclosed: string[]; created_at: Timestamp; expires_at: Timestamp; consumed_at: Timestamp | null; consumed_by: string | null;
}

// ---- official calendar (0015) ----
/** Administrators' overrides of the working-day calendar. `date` is a PostgreSQL date: read it as text (to_char), drivers parse it differently. */
export interface CalendarDaysTable {
  date: ColumnType<Date | string, string, string>; work: boolean; name: string; updated_by: string | null; updated_at: Timestamp;
}

export interface DB extends ApplicationTables, ExchangeTables {
  calendar_days: CalendarDaysTable;
  license_types: LicenseTypesTable;
  license_type_versions: LicenseTypeVersionsTable;
  license_type_proof_items: LicenseTypeProofItemsTable;
  license_status_lists: LicenseStatusListsTable;
  licenses: LicensesTable;
  license_status_events: LicenseStatusEventsTable;
  license_grants: LicenseGrantsTable;
  license_presentations: LicensePresentationsTable;
  signing_keys: SigningKeysTable;
  access_log: AccessLogTable;
  regions: RegionsTable;
  departments: DepartmentsTable;
  accounts: AccountsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  password_history: PasswordHistoryTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  proof_items: ProofItemsTable;
  service_items: ServiceItemsTable;
  service_item_materials: ServiceItemMaterialsTable;
  catalog_versions: CatalogVersionsTable;
  published_proof_items: PublishedProofItemsTable;
  published_service_items: PublishedServiceItemsTable;
}
export type { Generated };
