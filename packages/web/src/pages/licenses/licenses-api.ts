import { apiFetch } from '../../api/http';

export type HolderKind = '111' | '001';
export type LicenseStatus = 'valid' | 'suspended' | 'revoked';
export type FieldValue = string | number;

export interface FieldDefinition {
  name: string; label: string; type: 'string' | 'date' | 'number' | 'enum'; required: boolean; disclosable: boolean; enumValues?: string[];
  /** string fields: what the value identifies (person: an identity number, enterprise: a USCC, none: neither); undeclared: a valid identity number names a person */
  identifies?: 'person' | 'enterprise' | 'none';
}
export type Validity = { kind: 'none' } | { kind: 'years'; years: number };

export interface LicenseType {
  code: string; name: string; definingAgencyName: string; holderKind: HolderKind; fields: FieldDefinition[]; validity: Validity; legalBasis: string; description: string;
  issuingDepartments: { id: string; name: string; regionCode: string }[]; proofItems: { id: string; name: string; regionCode: string }[]; licenseCount: number;
}
export type LicenseTypeInput = Omit<LicenseType, 'issuingDepartments' | 'proofItems' | 'licenseCount'> & { issuingDepartmentIds: string[] };

export interface Check { name: string; ok: boolean; detail: string; detailEn: string }
export interface VerificationError { code: string; check: string; message: string; messageEn: string }
export interface DisplayedField { name: string; label: string; value: FieldValue; disclosable: boolean }
export interface LicenseSummary {
  identifier: string; licenseNumber: string; licenseType: { code: string; name: string }; issuer: { code: string; name: string };
  issuedAt: string; validFrom: string; validUntil: string | null; status: LicenseStatus | 'unregistered';
}
export interface VerificationResult {
  verified: boolean; checks: Check[]; errors: VerificationError[]; license: LicenseSummary | null; fields: DisplayedField[] | null;
  audience?: { kind: string; id: string; name: string } | null; expiresAt?: string | null;
}

export interface IssuedLicense {
  id: string; identifier: string; licenseNumber: string; typeCode: string; typeName: string; issuer: { departmentId: string; code: string; name: string };
  holderMask: string; holderNameMask: string; status: LicenseStatus; validFrom: string; validUntil: string | null; issuedAt: string; suite: string; keyId: string;
}
export interface IssuerLicense {
  id: string; identifier: string; licenseNumber: string; licenseType: { code: string; name: string }; holderMask: string; holderNameMask: string;
  status: LicenseStatus; validFrom: string; validUntil: string | null; issuedAt: string; suite: string; batchId: string | null;
}
export interface StatusEvent { at: string; action: string; from: string; to: string; reason: string }
export interface Grant {
  id: string; licenseId: string; department: { id: string; name: string }; serviceItemCode: string | null; serviceItemName: string | null; applicationRef: string | null;
  purpose: string; validUntil: string; createdAt: string; revokedAt: string | null; state: 'live' | 'revoked' | 'expired';
}
export interface WalletLicense {
  id: string; identifier: string; licenseNumber: string; licenseType: { code: string; name: string }; issuer: { code: string; name: string };
  status: LicenseStatus; expired: boolean; validFrom: string; validUntil: string | null; issuedAt: string; suite: string;
  fields: DisplayedField[]; grants: Grant[]; uses: { id: string; at: string; accessorName: string; purpose: string; applicationRef: string | null; legalBasis: string; outcome: string }[];
  statusHistory: StatusEvent[];
}
export interface CreatedPresentation { text: string; nonce: string; createdAt: string; expiresAt: string; disclosed: string[]; audience: { kind: string; id: string; name: string } | null }
export interface BatchError { row: number; column: string; reason: string; reasonEn: string }
export interface Usage {
  version: { number: number; publishedAt: string };
  types: { code: string; name: string; serviceItems: { code: string; name: string; departmentName: string; regionCode: string; regionName: string; materials: { name: string; proofItemId: string }[] }[] }[];
}
export interface Association {
  version: { number: number; publishedAt: string }; region: { code: string; name: string } | null; total: number; linked: number; rate: number | null;
  byRegion: { code: string; name: string; total: number; linked: number; rate: number | null }[];
  unlinked: { proofItemId: string; name: string; regionName: string; serviceItemCount: number }[];
}

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const licensesApi = {
  types: (signal?: AbortSignal) => apiFetch<{ items: LicenseType[] }>(`${v1}/license-types`, { signal }),
  createType: (input: LicenseTypeInput) => apiFetch<LicenseType>(`${v1}/admin/license-types`, { method: 'POST', json: input }),
  updateType: (code: string, patch: Partial<LicenseTypeInput>) => apiFetch<LicenseType>(`${v1}/admin/license-types/${enc(code)}`, { method: 'PATCH', json: patch }),
  linkProofItems: (code: string, proofItemIds: string[]) => apiFetch<{ proofItemIds: string[] }>(`${v1}/admin/license-types/${enc(code)}/proof-items`, { method: 'PUT', json: { proofItemIds } }),
  templateUrl: (code: string) => `${v1}/license-types/${enc(code)}/batch-template.xlsx`,

  issue: (input: { typeCode: string; holder: { code: string; name: string }; fields: Record<string, FieldValue>; validFrom?: string; validUntil?: string | null; licenseNumber?: string; suite?: string }) =>
    apiFetch<IssuedLicense>(`${v1}/licenses`, { method: 'POST', json: input }),
  batch: (typeCode: string, file: File, suite?: string) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return apiFetch<{ batchId: string; issued: number; licenses: IssuedLicense[] }>(`${v1}/licenses/batch`, { method: 'POST', form, query: { type: typeCode, suite } });
  },
  issued: (query: { type?: string; status?: string; q?: string; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    apiFetch<{ total: number; items: IssuerLicense[] }>(`${v1}/licenses`, { query, signal }),
  issuedOne: (id: string, signal?: AbortSignal) => apiFetch<IssuerLicense & { fields: DisplayedField[]; statusHistory: StatusEvent[] }>(`${v1}/licenses/${enc(id)}`, { signal }),
  setStatus: (id: string, action: 'suspend' | 'reinstate' | 'revoke', reason: string) =>
    apiFetch<{ status: LicenseStatus }>(`${v1}/licenses/${enc(id)}/status`, { method: 'POST', json: { action, reason } }),

  verify: (body: { document: unknown } | { identifier: string }) => apiFetch<VerificationResult>(`${v1}/licenses/verify`, { method: 'POST', json: body }),
  verifyPresentation: (presentation: string) => apiFetch<VerificationResult>(`${v1}/presentations/verify`, { method: 'POST', json: { presentation } }),

  wallet: (signal?: AbortSignal) => apiFetch<{ items: WalletLicense[] }>(`${v1}/me/licenses`, { signal }),
  documentUrl: (id: string) => `${v1}/me/licenses/${enc(id)}/document`,
  grant: (id: string, body: { departmentId: string; serviceItemCode?: string; applicationRef?: string; validUntil: string }) =>
    apiFetch<Grant>(`${v1}/me/licenses/${enc(id)}/grants`, { method: 'POST', json: body }),
  revokeGrant: (id: string) => apiFetch<{ id: string }>(`${v1}/me/license-grants/${enc(id)}/revoke`, { method: 'POST' }),
  present: (id: string, body: { fields: string[]; audience?: { kind: 'account' | 'department'; id: string } | null; expiresInSeconds?: number }) =>
    apiFetch<CreatedPresentation>(`${v1}/me/licenses/${enc(id)}/presentations`, { method: 'POST', json: body }),
  verifiers: (signal?: AbortSignal) => apiFetch<{ items: { id: string; name: string }[] }>(`${v1}/verifiers`, { signal }),

  usage: (query: { type?: string; region?: string }, signal?: AbortSignal) => apiFetch<Usage>(`${v1}/license-usage`, { query, signal }),
  usageExportUrl: (query: { type?: string; region?: string }) => `${v1}/license-usage/export.xlsx${new URLSearchParams(Object.entries(query).filter(([, v]) => !!v) as [string, string][]).toString().replace(/^(?=.)/, '?')}`,
  association: (region: string | undefined, signal?: AbortSignal) => apiFetch<Association>(`${v1}/stats/license-association`, { query: { region }, signal }),
  eLicenseProofItems: (signal?: AbortSignal) => apiFetch<{ items: { id: string; name: string; regionName: string }[] }>(`${v1}/proof-items`, { query: { method: 'e_license', pageSize: 100 }, signal }),
  departments: (region?: string, signal?: AbortSignal) => apiFetch<{ items: { id: string; name: string; regionCode: string }[] }>(`${v1}/departments`, { query: { region }, signal }),
  serviceItems: (q: string | undefined, region: string | undefined, signal?: AbortSignal) =>
    apiFetch<{ items: { code: string; name: string; regionName: string; department: { id: string; name: string } }[] }>(`${v1}/service-items`, { query: { q, region, pageSize: 50 }, signal }),
};
