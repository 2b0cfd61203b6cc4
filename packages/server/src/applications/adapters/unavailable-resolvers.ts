import type { DataSharingResolver, LicenseResolver, ResolutionRequest } from '../ports/resolvers.ts';

/**
 * Adapters for a context that is not wired: every call answers `unavailable` with the
 * reason, so the engine offers the next method the catalog allows.
 */
export const unavailableLicenses: LicenseResolver = {
  async resolve(req: ResolutionRequest) {
    return { kind: 'unavailable', reason: '电子证照库暂未接入', reasonEn: 'the e-license library is not connected', ...(req ? {} : {}) };
  },
};

export const unavailableDataSharing: DataSharingResolver = {
  async query(req: ResolutionRequest) {
    return { kind: 'unavailable', reason: `${req.proofItem.issuingDepartmentName}数据共享接口暂未接入`, reasonEn: `data sharing with ${req.proofItem.issuingDepartmentName} is not connected`, accessLogged: false };
  },
};
