/**
 * 数据共享调用: one purpose-bound query to the provider department that holds the data,
 * for one application, on a stated legal basis. Checks the directory (item offered,
 * consumer and purpose granted, parameters within the item's definition) before anything
 * is sent, sends through the signed transport, verifies the answer, and writes the trail —
 * the exchange log, and for every query that reached a provider, the access-log entry the
 * data subject reads, plus one for each other person a used answer names by identity number
 * (a member on a 户籍 record) — before returning. Never throws for a denial or a provider
 * failure: every query ends in a typed outcome.
 */
import { randomUUID } from 'node:crypto';
import { canonicalize } from '@mianzheng/crypto';
import {
  checkAnswer, isHeaderText, isLegalBasis, isNodeRejection, LEGAL_BASIS_MAX_CHARS, LOCAL_DENIALS, NODE_UNAVAILABLE, PURPOSES, purposeLabel, reasonText, subjectOf, UNAVAILABLE_REASONS, validateParams,
  type AnswerBody, type DenialReason, type LocalDenial, type RejectionBody, type UnavailableReason,
} from '@mianzheng/provider/protocol';
import { namedPersons } from '../../audit/domain/named-persons.ts';
import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import { accessesWithNamedPersons } from '../../audit/use-cases/record-data-access.ts';
import type { Actor, Role } from '../../identity/domain/roles.ts';
import { actingRole, isServiceActor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { maskIdentifier } from '../../shared/pii.ts';
import { grantProblem, resolveItem, type DirectoryItem, type DirectoryProvider } from '../domain/directory.ts';
import type { TransportResult } from '../domain/exchange-client.ts';
import type { AnswerEvidence, ExchangeOutcome } from '../domain/outcome.ts';
import type { TrailItem } from '../adapters/trail-writer.ts';
import { exchangeOf } from '../adapters/exchange-infra.ts';
import { openCaseCovers } from '../adapters/open-cases.ts';

export interface QueryProviderInput {
  /** data item code, e.g. `marriage-status` */
  itemCode: string;
  /** the provider node, when several offer the item (otherwise resolved from the directory) */
  providerId?: string;
  /** parameters as the item defines them, e.g. `{ idNumber }`; nothing else is accepted */
  params: Record<string, unknown>;
  /** the department asking (its key signs the request), e.g. `mas-ga` */
  consumerDepartmentId: string;
  /** `application_review` | `dept_verification` | `post_check` */
  purpose: string;
  /** the application (办件) or verification the query serves */
  applicationRef: string;
  /** the legal basis stated for this use of the data */
  legalBasis: string;
  /** the data subject, when the caller knows it: must be the item's subject parameter */
  subject?: { code: string; kind: 'person' | 'enterprise' };
  /** account id of the person an agent acts for */
  onBehalfOf?: string | null;
  /** the caller's own deadline in ms, when shorter than the provider's (see SendOptions) */
  deadlineMs?: number;
}

/** Roles that query for their own department; applicants and agents reach here through the application engine. */
const STAFF_QUERY_ROLES: readonly Role[] = ['clerk', 'issuer'];
const ENGINE_ROLES: readonly Role[] = ['applicant', 'agent'];

export async function queryProvider(input: QueryProviderInput, actor: Actor, deps: Deps): Promise<ExchangeOutcome> {
  const started = performance.now();
  const at = deps.now();
  const exchangeId = randomUUID();
  const snapshot = await exchangeOf(deps).directory.get();
  const consumerName = snapshot.departments.get(input.consumerDepartmentId) ?? input.consumerDepartmentId;
  const role = actingRole(actor, [...STAFF_QUERY_ROLES, ...ENGINE_ROLES]) ?? actor.roles[0] ?? null;

  const base = {
    id: exchangeId, at, item_code: storable(input.itemCode, 64), consumer_department_id: storable(input.consumerDepartmentId, 64), consumer_name: consumerName,
    actor_account_id: actor.id, actor_role: role, on_behalf_of: input.onBehalfOf ?? null, purpose: storable(input.purpose, 32),
    // the whole legal basis (a valid one has at most LEGAL_BASIS_MAX_CHARS characters, 2 UTF-16 units each at most)
    application_ref: storable(input.applicationRef, 128), legal_basis: storable(input.legalBasis, 2 * LEGAL_BASIS_MAX_CHARS),
  };
  const common = { exchangeId, itemCode: base.item_code, itemName: null as string | null, providerId: null as string | null, providerName: null as string | null, accessLogId: null, attempts: 0 };

  async function deny(reason: LocalDenial, field: string | undefined, ctx: { provider?: DirectoryProvider; item?: DirectoryItem; subject?: Subject }): Promise<ExchangeOutcome> {
    const text = LOCAL_DENIALS[reason];
    const latencyMs = elapsed(started);
    await writeTrail(deps, {
      log: {
        ...base, ...providerCols(ctx.provider, ctx.item), ...subjectCols(deps, ctx.subject), params_digest: null, sent: false, outcome: 'denied', reason,
        detail: field ?? null, http_status: null, attempts: 0, latency_ms: latencyMs, attempt_log: '[]',
      },
    });
    return { ...common, itemName: ctx.item?.name ?? null, providerId: ctx.provider?.id ?? null, providerName: ctx.provider?.name ?? null, outcome: 'denied', reason, ...(field ? { field } : {}), message: text[0], messageEn: text[1], latencyMs };
  }

  // 1. the request itself: purpose, application, legal basis, consumer
  if (!Object.hasOwn(PURPOSES, input.purpose)) return deny('invalid_request', 'purpose', {});
  // the application reference travels in a signed header, the legal basis whole — in its header when it
  // fits, in the signed body otherwise (up to the catalog's 2,000 characters, its lines kept): what a node
  // would refuse (too long, a control character, a lone surrogate) is refused here, before anything is sent
  if (typeof input.applicationRef !== 'string' || input.applicationRef.length > 128 || !isHeaderText(input.applicationRef)) return deny('invalid_request', 'applicationRef', {});
  if (!isLegalBasis(input.legalBasis)) return deny('invalid_request', 'legalBasis', {});
  if (!snapshot.departments.has(input.consumerDepartmentId)) return deny('invalid_request', 'consumerDepartmentId', {});

  // 2. who is asking: staff only for their own department
  const staffOk = actor.roles.some((r) => STAFF_QUERY_ROLES.includes(r)) && actor.departmentId === input.consumerDepartmentId;
  const engineOk = actor.id === 'system' || actor.roles.some((r) => ENGINE_ROLES.includes(r));
  if (!staffOk && !engineOk) return deny('actor_out_of_scope', 'consumerDepartmentId', {});

  // 3. the directory: item offered, parameters within its definition, consumer and purpose granted
  const resolved = resolveItem(snapshot.providers, input.itemCode, input.consumerDepartmentId, input.providerId);
  if (!resolved.ok) return deny(resolved.reason, 'itemCode', {});
  const { provider, item } = resolved;
  common.itemName = item.name;
  common.providerId = provider.id;
  common.providerName = provider.name;
  const checked = validateParams(item.definition, input.params);
  if (!checked.ok) return deny('invalid_params', checked.issue.field, { provider, item });
  const subject: Subject = { code: subjectOf(item.definition, checked.params), kind: item.definition.subjectKind };
  if (input.subject && (input.subject.kind !== subject.kind || input.subject.code.trim().toUpperCase() !== subject.code)) return deny('invalid_params', 'subject', { provider, item });
  const grant = grantProblem(item, input.consumerDepartmentId, input.purpose);
  if (grant) return deny(grant, grant === 'purpose_not_allowed' ? 'purpose' : 'consumerDepartmentId', { provider, item, subject });
  // a member of staff asking on their own names an open case of their department about this subject
  // (the engine, as the department's service actor, is bound to the application it resolves)
  if (staffOk && !isServiceActor(actor)) {
    const covered = await openCaseCovers(deps.db, { purpose: input.purpose, ref: input.applicationRef.trim(), departmentId: input.consumerDepartmentId, subjectHash: deps.pii.lookupHash(subject.code) });
    if (!covered) return deny('no_open_case', 'applicationRef', { provider, item, subject });
  }

  const paramsDigest = deps.pii.lookupHash(canonicalize(checked.params));
  const access = (outcome: string, detail: Record<string, unknown>) => ({
    subjectCode: subject.code, subjectKind: subject.kind, accessorDepartmentId: input.consumerDepartmentId, accessorName: consumerName,
    accessorAccountId: actor.id === 'system' ? null : actor.id, accessorRole: role, onBehalfOf: input.onBehalfOf ?? null,
    dataItem: `exchange:${item.code}`, dataItemLabel: item.name, purpose: input.purpose, applicationRef: input.applicationRef, legalBasis: input.legalBasis,
    outcome, detail: { exchangeId, providerId: provider.id, providerName: provider.name, purposeLabel: purposeLabel(input.purpose).zh, ...detail },
  });

  // 4. the provider must be usable
  const activeKeys = provider.keys.filter((k) => k.status === 'active');
  if (provider.status !== 'active' || activeKeys.length === 0) {
    const reason: UnavailableReason = provider.status !== 'active' ? 'provider_suspended' : 'provider_not_configured';
    const latencyMs = elapsed(started);
    await writeTrail(deps, { log: { ...base, ...providerCols(provider, item), ...subjectCols(deps, subject), params_digest: paramsDigest, sent: false, outcome: 'unavailable', reason, detail: null, http_status: null, attempts: 0, latency_ms: latencyMs, attempt_log: '[]' } });
    return { ...common, outcome: 'unavailable', reason, message: UNAVAILABLE_REASONS[reason][0], messageEn: UNAVAILABLE_REASONS[reason][1], latencyMs };
  }

  // 5. send, verify, interpret
  const result = await exchangeOf(deps).client.send(
    { providerId: provider.id, endpoint: provider.endpoint, requestSuite: provider.requestSuite, keys: provider.keys, resilience: provider.resilience },
    { itemCode: item.code, params: checked.params, consumerId: input.consumerDepartmentId, purpose: input.purpose, applicationRef: input.applicationRef, legalBasis: input.legalBasis },
    input.deadlineMs ? { deadlineMs: input.deadlineMs } : {},
  );
  const interpreted = interpret(result, item);
  const latencyMs = elapsed(started);
  const sent = result.attempts.length > 0;
  const transport = result.kind === 'response'
    ? { request_suite: provider.requestSuite, consumer_key_id: result.consumerKeyId, nonce: result.nonce, request_digest: result.requestDigest, provider_key_id: result.providerKeyId, response_digest: result.responseDigest, response_signature: result.signature, response_batch_proof: result.batchProof, response_signed_at: result.signedAt, http_status: result.status }
    : { request_suite: provider.requestSuite, consumer_key_id: result.consumerKeyId, nonce: result.nonce, request_digest: result.requestDigest, provider_key_id: null, response_digest: null, response_signature: null, response_batch_proof: null, response_signed_at: null, http_status: result.status };
  const log: TrailItem['log'] = {
    ...base, ...providerCols(provider, item), ...subjectCols(deps, subject), ...transport, params_digest: paramsDigest, sent, outcome: interpreted.outcome,
    reason: interpreted.outcome === 'denied' || interpreted.outcome === 'unavailable' ? interpreted.reason : null,
    detail: interpreted.outcome === 'denied' ? interpreted.field ?? null : interpreted.outcome === 'unavailable' ? interpreted.detail : null,
    attempts: result.attempts.length, as_of: 'asOf' in interpreted ? interpreted.asOf : null, answered_at: 'answeredAt' in interpreted ? interpreted.answeredAt : null,
    latency_ms: latencyMs, attempt_log: JSON.stringify(result.attempts),
  };
  // every other person the used answer names by identity number is a data subject of this query too
  const named = interpreted.outcome === 'answered' ? namedPersons(interpreted.answer, subject.code, item.definition.answer, { today: shanghaiDate(at) }) : [];
  const [subjectAccess, ...namedAccesses] = accessesWithNamedPersons(access(interpreted.outcome, { reason: 'reason' in interpreted ? interpreted.reason : null, asOf: 'asOf' in interpreted ? interpreted.asOf : null }), named);
  const accessLogId = await writeTrail(deps, { log, ...(sent ? { access: subjectAccess!, named: namedAccesses } : {}) });
  const done = { ...common, accessLogId, latencyMs, attempts: result.attempts.length };
  switch (interpreted.outcome) {
    case 'answered': return { ...done, outcome: 'answered', answer: interpreted.answer, asOf: interpreted.asOf, answeredAt: interpreted.answeredAt, evidence: interpreted.evidence };
    case 'not_found': return { ...done, outcome: 'not_found', asOf: interpreted.asOf, answeredAt: interpreted.answeredAt, evidence: interpreted.evidence };
    case 'denied': {
      const t = reasonText(interpreted.reason);
      return { ...done, outcome: 'denied', reason: interpreted.reason, ...(interpreted.field ? { field: interpreted.field } : {}), message: interpreted.message ?? t.zh, messageEn: t.en };
    }
    case 'unavailable': {
      const t = UNAVAILABLE_REASONS[interpreted.reason];
      return { ...done, outcome: 'unavailable', reason: interpreted.reason, message: t[0], messageEn: t[1] };
    }
  }
}

interface Subject { code: string; kind: 'person' | 'enterprise' }

type Interpreted =
  | { outcome: 'answered'; answer: Record<string, unknown>; asOf: string; answeredAt: string; evidence: AnswerEvidence }
  | { outcome: 'not_found'; asOf: string; answeredAt: string; evidence: AnswerEvidence }
  | { outcome: 'denied'; reason: DenialReason; field?: string; message?: string }
  | { outcome: 'unavailable'; reason: UnavailableReason; detail: string };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** A verified answer is still parsed against the item definition before it is trusted. */
function interpret(result: TransportResult, item: DirectoryItem): Interpreted {
  if (result.kind === 'failure') return { outcome: 'unavailable', reason: result.reason, detail: result.detail.slice(0, 300) };
  if (result.status === 200) {
    const body = result.body as Partial<AnswerBody>;
    if (typeof body !== 'object' || body === null || body.item !== item.code || (body.outcome !== 'answered' && body.outcome !== 'not_found')
      || typeof body.asOf !== 'string' || !ISO.test(body.asOf) || typeof body.answeredAt !== 'string' || !ISO.test(body.answeredAt)) {
      return { outcome: 'unavailable', reason: 'bad_response', detail: 'the answer does not have the MZX1 answer shape' };
    }
    const extra = Object.keys(body).filter((k) => !['item', 'outcome', 'answer', 'asOf', 'answeredAt'].includes(k));
    if (extra.length) return { outcome: 'unavailable', reason: 'bad_response', detail: `undeclared answer members: ${extra.join(', ')}` };
    const evidence: AnswerEvidence = {
      providerKeyId: result.providerKeyId, suite: result.providerSuite, signature: result.signature, batchProof: result.batchProof,
      requestDigest: result.requestDigest, responseDigest: result.responseDigest, responseBody: result.rawBody, signedAt: result.signedAt,
    };
    if (body.outcome === 'not_found') {
      if (body.answer !== undefined) return { outcome: 'unavailable', reason: 'bad_response', detail: 'a not_found answer carries data' };
      return { outcome: 'not_found', asOf: body.asOf, answeredAt: body.answeredAt, evidence };
    }
    const problem = checkAnswer(item.definition, body.answer);
    if (problem) return { outcome: 'unavailable', reason: 'bad_response', detail: problem };
    return { outcome: 'answered', answer: body.answer as Record<string, unknown>, asOf: body.asOf, answeredAt: body.answeredAt, evidence };
  }
  const err = (result.body as Partial<RejectionBody>)?.error;
  if (result.status >= 400 && result.status < 500 && err && typeof err.reason === 'string' && isNodeRejection(err.reason)) {
    // the node answered, but no answer can be had for this query (too_many_records): unavailable, with the node's own words
    const unavailable = NODE_UNAVAILABLE[err.reason];
    if (unavailable) return { outcome: 'unavailable', reason: unavailable, detail: typeof err.message === 'string' ? err.message.slice(0, 300) : err.reason };
    return { outcome: 'denied', reason: err.reason, ...(typeof err.field === 'string' ? { field: err.field.slice(0, 64) } : {}), ...(typeof err.message === 'string' ? { message: err.message.slice(0, 300) } : {}) };
  }
  return { outcome: 'unavailable', reason: 'bad_response', detail: `unexpected HTTP ${result.status}` };
}

function providerCols(provider?: DirectoryProvider, item?: DirectoryItem) {
  return { provider_id: provider?.id ?? null, provider_name: provider?.name ?? null, item_name: item?.name ?? null };
}

function subjectCols(deps: Deps, subject?: Subject) {
  if (!subject) return { subject_kind: null, subject_hash: null, subject_mask: null };
  return { subject_kind: subject.kind, subject_hash: deps.pii.lookupHash(subject.code), subject_mask: maskIdentifier(subject.code) };
}

/**
 * A caller's text as the exchange log keeps it, also when the query is denied for it: at most
 * `max` UTF-16 units, and NUL (which a PostgreSQL text cannot hold) shown as U+FFFD — a denial
 * is logged, never a 500.
 */
function storable(v: unknown, max: number): string {
  return String(v ?? '').slice(0, max).replace(/\u0000/g, '\ufffd');
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

async function writeTrail(deps: Deps, item: TrailItem): Promise<string | null> {
  try {
    return await exchangeOf(deps).trail.write(item);
  } catch (e) {
    throw new AppError('EXCHANGE.TRAIL_FAILED', { details: { cause: (e as Error).message.slice(0, 200) } });
  }
}
