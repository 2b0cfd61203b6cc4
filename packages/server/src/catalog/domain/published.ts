import type { ApplicantKind } from './applicant-kinds.ts';
import type { CommitmentRule, ExemptionMethod, RiskCategory } from './proof-item.ts';

/** A proof item as published in one version (names resolved, immutable). */
export interface PublishedProofItem {
  id: string;
  name: string;
  issuingDepartmentId: string;
  issuingDepartmentName: string;
  regionCode: string;
  regionName: string;
  legalBasis: string;
  methods: ExemptionMethod[];
  riskCategory: RiskCategory | null;
  commitment: CommitmentRule | null;
  notes: string;
  serviceItemCodes: string[];
}

export interface PublishedMaterial { id: string; name: string; required: boolean; proofItemId: string | null }

export interface PublishedServiceItem {
  code: string;
  name: string;
  departmentId: string;
  departmentName: string;
  regionCode: string;
  regionName: string;
  /** 服务对象: who may apply (person, enterprise or both) */
  applicantKinds: ApplicantKind[];
  materials: PublishedMaterial[];
}

export interface CatalogVersionInfo {
  number: number;
  publishedAt: string;
  publishedBy: string;
  note: string;
  proofItemCount: number;
  serviceItemCount: number;
  contentDigest: string;
}
