import { apiFetch } from '../../api/http';

export type Suite = 'SM2-SM3' | 'Ed25519';
export type Outcome = 'answered' | 'not_found' | 'denied' | 'unavailable';

export interface ParamSpec { name: string; type: 'identity_number' | 'uscc' | 'integer' | 'date' | 'enum'; label: string; required: boolean; min?: number; max?: number; values?: string[] }
export interface AnswerField { name: string; type: string; label: string; identifies?: 'person' | 'enterprise' | 'none' }
export interface ItemDefinition {
  code: string; name: string; nameEn: string; kind: 'question' | 'record'; many?: boolean; subjectParam: string; subjectKind: 'person' | 'enterprise';
  params: ParamSpec[]; answer: AnswerField[]; description?: string;
}
export interface Grant { consumerDepartmentId: string; consumerName: string; purposes: string[] }
export interface Quality {
  since: string; total: number; sent: number; answered: number; notFound: number; failed: number; rejectedByNode: number;
  availability: number | null; errorRate: number | null; latencyP50Ms: number | null; latencyP99Ms: number | null;
  stalenessP50S: number | null; stalenessMaxS: number | null; lastAnswerAt: string | null; lastFailureAt: string | null;
  rejectedByReason: Array<{ reason: string; count: number; sent: boolean }>;
}
export interface Resilience { timeoutMs: number; maxAttempts: number; concurrency: number; breakerThreshold: number; breakerHalfOpenMs: number }
export interface Provider {
  id: string; name: string; departmentId: string; departmentName: string; endpoint: string; status: 'active' | 'suspended'; requestSuite: Suite;
  /** the region of the node's department */
  departmentRegionCode: string; departmentRegionName: string | null;
  /** whether the caller may change this node: a data administrator of its department's region (or of one above it) */
  mayChange: boolean;
  resilience: Resilience; keys: Array<{ keyId: string; suite: Suite; publicKey: string; status: string }>;
  items: Array<{ code: string; name: string; definition: ItemDefinition; proofItems: Array<{ id: string; name: string | null }>; grants: Grant[] }>;
  breaker: string; quality: Quality;
}
export type Purposes = Record<string, { zh: string; en: string }>;
/** Where a data administrator registers and changes nodes: departments of this region and those within it; regionCode null: every department. */
export interface DirectoryViewer { regionCode: string | null; regionName: string | null }
export interface KeyInput { keyId: string; suite: Suite; publicKey: string }
export interface NodeMeta { node: { id: string; name: string }; keys: KeyInput[]; items: ItemDefinition[] }

export interface LogEntry {
  id: string; at: string; providerId: string | null; providerName: string | null; itemCode: string; itemName: string | null; consumerDepartmentId: string; consumerName: string;
  actorRole: string | null; purpose: string; applicationRef: string; legalBasis: string; subjectMask: string | null; sent: boolean; outcome: Outcome; reason: string | null;
  detail: string | null; httpStatus: number | null; attempts: number; requestSuite: string | null; requestDigest: string | null; responseDigest: string | null;
  providerKeyId: string | null; asOf: string | null; answeredAt: string | null; latencyMs: number; accessLogId: string | null;
}
export interface LogQuery {
  provider?: string; item?: string; consumer?: string; outcome?: string; reason?: string; purpose?: string; applicationRef?: string; subject?: string;
  from?: string; to?: string; page: number; pageSize: number;
}

export interface QueryableItem { providerId: string; providerName: string; code: string; name: string; definition: ItemDefinition; grantedPurposes: string[]; active: boolean }
export interface QueryOutcome {
  outcome: Outcome; exchangeId: string; itemCode: string; itemName: string | null; providerId: string | null; providerName: string | null; accessLogId: string | null;
  latencyMs: number; attempts: number; answer?: Record<string, unknown>; asOf?: string; answeredAt?: string;
  evidence?: { providerKeyId: string; suite: string; signature: string; batchProof: string | null; requestDigest: string; responseDigest: string; responseBody: string; signedAt: string };
  reason?: string; field?: string; message?: string; messageEn?: string;
}

export interface AccessEntry {
  id: string; at: string; accessorName: string; dataItem: string; dataItemLabel: string; purpose: string; applicationRef: string | null; legalBasis: string; outcome: string; onBehalfOf: string | null;
  /**
   * the record read was someone else's and names the caller in this field (配偶身份证件号 on a 结婚证), at this path of the
   * data read (`records[2].memberIdNumber`; null for older entries), in this record of a many-record answer (3, counted from 1)
   */
  namedAs: { field: string; label: string; path: string | null; record: number | null } | null;
}

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const exchangeApi = {
  providers: (signal?: AbortSignal) => apiFetch<{ items: Provider[]; purposes: Purposes; viewer: DirectoryViewer | null }>(`${v1}/exchange/providers`, { signal }),
  register: (input: { id: string; name: string; departmentId: string; endpoint: string; requestSuite: Suite; keys: KeyInput[] }) =>
    apiFetch<Provider>(`${v1}/exchange/providers`, { method: 'POST', json: input }),
  update: (id: string, patch: Partial<{ name: string; endpoint: string; status: 'active' | 'suspended'; requestSuite: Suite; resilience: Partial<Resilience> }>) =>
    apiFetch<Provider>(`${v1}/exchange/providers/${enc(id)}`, { method: 'PATCH', json: patch }),
  setKeys: (id: string, keys: KeyInput[]) => apiFetch<Provider>(`${v1}/exchange/providers/${enc(id)}/keys`, { method: 'PUT', json: { keys } }),
  putItem: (id: string, code: string, definition: ItemDefinition, proofItemIds: string[]) =>
    apiFetch<Provider>(`${v1}/exchange/providers/${enc(id)}/items/${enc(code)}`, { method: 'PUT', json: { definition, proofItemIds } }),
  removeItem: (id: string, code: string) => apiFetch<void>(`${v1}/exchange/providers/${enc(id)}/items/${enc(code)}`, { method: 'DELETE' }),
  setGrants: (id: string, code: string, grants: Array<{ consumerDepartmentId: string; purposes: string[] }>) =>
    apiFetch<Provider>(`${v1}/exchange/providers/${enc(id)}/items/${enc(code)}/grants`, { method: 'PUT', json: { grants } }),
  nodeConfig: (id: string) => apiFetch<unknown>(`${v1}/exchange/providers/${enc(id)}/node-config`),
  probe: (id: string) => apiFetch<{ ok: boolean; latencyMs: number; status: number | null; node: string | null; detail: string }>(`${v1}/exchange/providers/${enc(id)}/probe`, { method: 'POST' }),
  discover: (endpoint: string) => apiFetch<NodeMeta>(`${v1}/exchange/discover`, { method: 'POST', json: { endpoint } }),
  log: (query: LogQuery, signal?: AbortSignal) => apiFetch<{ total: number; items: LogEntry[] }>(`${v1}/exchange/log`, { query: { ...query }, signal }),
  items: (signal?: AbortSignal) => apiFetch<{ items: QueryableItem[]; purposes: Purposes }>(`${v1}/exchange/items`, { signal }),
  query: (body: { itemCode: string; providerId?: string; params: Record<string, string | number>; purpose: string; applicationRef: string; legalBasis: string }) =>
    apiFetch<QueryOutcome>(`${v1}/exchange/queries`, { method: 'POST', json: body }),
  myAccessLog: (page: number, pageSize: number, signal?: AbortSignal) => apiFetch<{ total: number; items: AccessEntry[] }>(`${v1}/me/access-log`, { query: { page, pageSize }, signal }),
  /** departments, of a region and those within it when `region` is given */
  departments: (signal?: AbortSignal, region?: string | null) =>
    apiFetch<{ items: Array<{ id: string; name: string; regionCode: string }> }>(`${v1}/departments`, { query: region ? { region } : {}, signal }),
  proofItems: (q: string, signal?: AbortSignal) => apiFetch<{ items: Array<{ id: string; name: string; regionName: string }> }>(`${v1}/proof-items`, { query: { q, pageSize: 50 }, signal }),
};
