import { departmentServiceActor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { holdsUsableLicense, readLicenseUnderGrant } from '../../licenses/use-cases/read-license-under-grant.ts';
import { cachedLicenseLink } from '../../licenses/adapters/license-store.ts';
import type { LicenseOutcome, LicenseResolver, ResolutionRequest } from '../ports/resolvers.ts';

/**
 * The e-license port over the licenses context: the proof item's linked license type, read
 * under a live use grant of the holder for this service item or application, verified by
 * the licenses context (which also writes the access-log entry of every read).
 */
export class LicensesContextResolver implements LicenseResolver {
  constructor(private readonly deps: Deps) {}

  async resolve(req: ResolutionRequest): Promise<LicenseOutcome> {
    const deps = this.deps;
    try {
      const link = await cachedLicenseLink(deps, req.proofItem.id);
      if (!link) return { kind: 'missing', reason: `"${req.proofItem.name}"尚未关联电子证照类型`, reasonEn: 'the proof item is not linked to a license type' };
      const r = await readLicenseUnderGrant({
        holderCode: req.holder.code, licenseTypeCode: link.code, departmentId: req.requester.departmentId, serviceItemCode: req.application.serviceItemCode,
        applicationRef: req.application.ref, purpose: `办理"${req.application.serviceItemName}"(办件 ${req.application.ref})`,
      }, departmentServiceActor(req.requester.departmentId, req.requester.departmentName), deps);
      if (r.ok) {
        return {
          kind: 'verified', licenseTypeCode: r.license.licenseType.code, licenseTypeName: r.license.licenseType.name, identifier: r.license.identifier, licenseId: r.license.id,
          issuerName: r.license.issuer.name, validUntil: r.license.validUntil, grantId: r.grantId,
          verification: { verified: r.verification.verified, checks: r.verification.checks, errors: r.verification.errors }, accessLogged: true,
        };
      }
      // The licenses context answers `no_grant` alike for a license that does not exist (no
      // existence oracle for a department). Here the engine works on the holder's own
      // application, so it may ask the holder's wallet: no license they could grant (none, or
      // only revoked or expired ones) → the next method.
      if (r.reason === 'no_grant' && !(await holdsUsableLicense(deps, req.holder.code, link.code))) {
        return { kind: 'missing', reason: `您名下没有有效的"${link.name}"电子证照`, reasonEn: `you hold no valid ${link.name} e-license` };
      }
      switch (r.reason) {
        case 'no_grant': case 'grant_expired': case 'grant_revoked':
          return { kind: 'grant_required', licenseTypeCode: link.code, licenseTypeName: link.name, reason: `${r.message}:请授权${req.requester.departmentName}为本事项使用您的"${link.name}"`, reasonEn: r.messageEn };
        default:
          return { kind: 'invalid', reason: r.message, reasonEn: r.messageEn, verification: r.verification, accessLogged: true };
      }
    } catch (e) {
      return { kind: 'unavailable', reason: '电子证照库暂不可用', reasonEn: `the e-license library failed: ${(e as Error).message}` };
    }
  }
}
