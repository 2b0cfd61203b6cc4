import type { Deps } from '../../shared/deps.ts';
import { findItemsForProofItem } from '../../exchange/use-cases/find-items-for-proof-item.ts';
import { queryProvider } from '../../exchange/use-cases/query-provider.ts';
import type { DataSharingOutcome, DataSharingResolver, ResolutionRequest } from '../ports/resolvers.ts';
import { departmentServiceActor } from '../../identity/domain/roles.ts';

/**
 * The data-sharing port over the exchange context: the data item that satisfies the proof
 * item, queried from its provider node with purpose = this application (application_review),
 * the answer verified and the trail written (exchange log + access log) by the exchange context.
 */
/**
 * How long an applicant waits for a provider node while the engine resolves a submission:
 * past it the query ends as `unavailable / timeout` and the engine offers the next method
 * (the material can be retried later). A node that is down fails at once; this bounds a node
 * that accepts the connection but does not answer, until its circuit breaker opens.
 */
export const DATA_SHARING_WAIT_MS = 4000;

export class ExchangeResolver implements DataSharingResolver {
  constructor(private readonly deps: Deps, private readonly options: { waitMs?: number } = {}) {}

  async query(req: ResolutionRequest): Promise<DataSharingOutcome> {
    const deps = this.deps;
    try {
      const items = await findItemsForProofItem(req.proofItem.id, req.requester.departmentId, deps);
      const usable = items.filter((i) => i.definition.subjectKind === req.holder.kind);
      const item = usable.find((i) => i.active && i.grantedPurposes.includes('application_review')) ?? usable[0];
      if (!item) return { kind: 'unavailable', reason: `"${req.proofItem.name}"尚无可共享的数据项`, reasonEn: 'no data item serves this proof', accessLogged: false };
      const params: Record<string, unknown> = {};
      for (const spec of item.definition.params) {
        if (spec.name === item.definition.subjectParam) params[spec.name] = req.holder.code;
        else if (spec.required && /name$/i.test(spec.name)) params[spec.name] = req.holder.name;
        // what the engine cannot know of its own (how many months of 社保缴费记录): the item's default
        else if (spec.default !== undefined) params[spec.name] = spec.default;
      }
      const out = await queryProvider({
        itemCode: item.itemCode, providerId: item.providerId, params, consumerDepartmentId: req.requester.departmentId, purpose: 'application_review',
        applicationRef: req.application.ref, legalBasis: req.proofItem.legalBasis || '证明事项数据共享核验', subject: { code: req.holder.code, kind: req.holder.kind },
        onBehalfOf: req.requester.onBehalfOf, deadlineMs: this.options.waitMs ?? DATA_SHARING_WAIT_MS,
      }, departmentServiceActor(req.requester.departmentId, req.requester.departmentName), deps);
      const logged = out.accessLogId !== null;
      switch (out.outcome) {
        case 'answered':
          return {
            kind: 'answered', providerId: out.providerId ?? item.providerId, providerName: out.providerName ?? item.providerName, queryId: out.exchangeId, answer: out.answer,
            asOf: out.asOf, accessLogged: logged,
            signature: {
              suite: out.evidence.suite, keyId: out.evidence.providerKeyId, value: out.evidence.signature, batchProof: out.evidence.batchProof, signedAt: out.evidence.signedAt,
              requestDigest: out.evidence.requestDigest, responseDigest: out.evidence.responseDigest, responseBody: out.evidence.responseBody,
            },
          };
        case 'not_found':
          return { kind: 'not_found', queryId: out.exchangeId, providerName: out.providerName ?? undefined, reason: `${out.providerName ?? item.providerName}无该申请人的记录`, reasonEn: 'the provider holds no record', accessLogged: logged };
        case 'denied':
          return { kind: 'denied', queryId: out.exchangeId, providerName: out.providerName ?? undefined, reason: out.message, reasonEn: out.messageEn, accessLogged: logged };
        case 'unavailable':
          return { kind: 'unavailable', queryId: out.exchangeId, providerName: out.providerName ?? undefined, reason: `${out.providerName ?? item.providerName}:${out.message}`, reasonEn: out.messageEn, accessLogged: logged };
      }
    } catch (e) {
      return { kind: 'unavailable', reason: '数据共享通道暂不可用', reasonEn: `data sharing failed: ${(e as Error).message}`, accessLogged: false };
    }
  }
}
