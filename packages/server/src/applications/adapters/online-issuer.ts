import { randomUUID } from 'node:crypto';
import { bytesToHex, canonicalizeToBytes } from '@mianzheng/crypto';
import type { KeyStore } from '../../keys/domain/key-store.ts';
import type { IssuedDocument, OnlineIssuer, ResolutionRequest } from '../ports/resolvers.ts';

/**
 * 在线开具 inside the platform: the issuing department's document, signed with the
 * department's SM2 key from the keystore. The signature covers the JCS form of every
 * field but the signature itself.
 */
export class KeystoreOnlineIssuer implements OnlineIssuer {
  constructor(private readonly keys: KeyStore, private readonly now: () => Date) {}

  async issue(req: ResolutionRequest) {
    try {
      const issuedAt = this.now().toISOString();
      const unsigned = {
        documentId: randomUUID(),
        title: req.proofItem.name,
        issuerId: req.proofItem.issuingDepartmentId,
        issuerName: req.proofItem.issuingDepartmentName,
        issuedAt,
        content: {
          subjectName: req.holder.name,
          statement: `经${req.proofItem.issuingDepartmentName}在线核查,为"${req.holder.name}"开具"${req.proofItem.name}",用于办理"${req.application.serviceItemName}"(办件编号 ${req.application.ref})。`,
          purpose: req.application.ref,
          legalBasis: req.proofItem.legalBasis,
        },
      };
      const { keyId, signature } = await this.keys.sign(req.proofItem.issuingDepartmentId, 'SM2-SM3', canonicalizeToBytes(unsigned));
      const document: IssuedDocument = { ...unsigned, signature: { suite: 'SM2-SM3', keyId, value: bytesToHex(signature) } };
      return { kind: 'issued' as const, document };
    } catch {
      return { kind: 'unavailable' as const, reason: `${req.proofItem.issuingDepartmentName}在线开具服务暂不可用`, reasonEn: `${req.proofItem.issuingDepartmentName} cannot issue online right now` };
    }
  }
}
