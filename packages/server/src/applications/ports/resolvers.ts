/**
 * Ports the resolution engine uses for the methods that read data held elsewhere. The
 * e-license port is implemented over the licenses context (use grants, verification);
 * the data-sharing port over the exchange context (provider nodes). Until a context is
 * wired, its adapter answers `unavailable` and the engine offers the next method.
 */
export interface Holder { code: string; kind: 'person' | 'enterprise'; name: string; accountId: string | null }

export interface ResolutionRequest {
  application: { id: string; ref: string; serviceItemCode: string; serviceItemName: string };
  holder: Holder;
  proofItem: { id: string; name: string; legalBasis: string; issuingDepartmentId: string; issuingDepartmentName: string };
  requester: { departmentId: string; departmentName: string; accountId: string; role: string; onBehalfOf: string | null };
}

interface Reason { reason: string; reasonEn: string }

export type LicenseOutcome =
  | {
    kind: 'verified'; licenseTypeCode: string; licenseTypeName: string; identifier: string; licenseId: string; issuerName: string;
    validUntil: string | null; grantId: string; verification: { verified: boolean; checks: unknown; errors: unknown }; accessLogged: boolean;
  }
  | ({ kind: 'grant_required'; licenseTypeCode: string; licenseTypeName: string } & Reason)
  | ({ kind: 'missing' } & Reason)
  | ({ kind: 'invalid'; identifier?: string; verification?: unknown; accessLogged: boolean } & Reason)
  | ({ kind: 'unavailable' } & Reason);

export interface LicenseResolver {
  resolve(req: ResolutionRequest): Promise<LicenseOutcome>;
}

/**
 * What proves a provider's answer, kept in the resolution's evidence so the application alone
 * re-verifies it: the MZX1 response canonical string is rebuilt from status 200, the request
 * and response digests, the signed time, the node (providerId) and the key; with a batch proof
 * the signature covers the batch statement its proof leads to (verifyMessage in the protocol
 * package). `responseBody` is the exact signed body (its SM3 is the response digest).
 */
export interface AnswerSignature {
  suite: string; keyId: string; value: string;
  batchProof?: string | null; signedAt?: string; requestDigest?: string; responseDigest?: string; responseBody?: string;
}

export type DataSharingOutcome =
  | {
    kind: 'answered'; providerId: string; providerName: string; queryId: string; answer: Record<string, unknown>; asOf: string;
    signature: AnswerSignature | null; accessLogged: boolean;
  }
  | ({ kind: 'not_found' | 'denied' | 'unavailable'; queryId?: string; providerName?: string; accessLogged: boolean } & Reason);

export interface DataSharingResolver {
  query(req: ResolutionRequest): Promise<DataSharingOutcome>;
}

export interface IssuedDocument {
  documentId: string;
  title: string;
  issuerId: string;
  issuerName: string;
  issuedAt: string;
  content: Record<string, unknown>;
  signature: { suite: string; keyId: string; value: string };
}

/** 在线开具: the issuing department's system issues the proof as a signed electronic document. */
export interface OnlineIssuer {
  issue(req: ResolutionRequest): Promise<({ kind: 'issued'; document: IssuedDocument }) | ({ kind: 'unavailable' } & Reason)>;
}

export interface ResolutionPorts {
  licenses: LicenseResolver;
  dataSharing: DataSharingResolver;
  onlineIssuer: OnlineIssuer;
}
