import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import type { ApplicantKind } from '../../catalog/domain/applicant-kinds.ts';
import { principalKindOf, scopeNotForPrincipal, validPeriod } from '../domain/authorization.ts';

/**
 * A service item an authorization names, as the published list has it now. `offered: false`: the
 * item was removed from the list after the authorization was given (its name is the last version's
 * that had it); the authorization no longer lets the agent apply for it.
 */
export interface AuthorizedServiceItem { code: string; name: string; applicantKinds: ApplicantKind[]; offered: boolean }

export interface AuthorizationView {
  /** principal.kind: 服务对象 the principal applies as (person 自然人 / enterprise 法人), so an agent is offered only what the principal may apply for */
  id: string; principal: { id: string; name: string; kind: ApplicantKind }; agent: { id: string; name: string }; serviceItemCodes: string[];
  /** the items of serviceItemCodes, in that order, with their names and whether they are still offered */
  serviceItems: AuthorizedServiceItem[];
  validFrom: string; validUntil: string; status: 'active' | 'revoked' | 'expired'; createdAt: string; revokedAt: string | null;
}

type Row = { id: string; principal_account_id: string; principal_name: string; principal_kind: string; agent_account_id: string; agent_name: string; service_item_codes: string[]; valid_from: Date; valid_until: Date; status: 'active' | 'revoked'; created_at: Date; revoked_at: Date | null };

type ItemResolver = (code: string) => AuthorizedServiceItem;

/**
 * Names the service items of these authorizations: from the published list, or, for an item since
 * removed from it, from the last version that had it (one query, only when there is such an item).
 */
async function itemResolver(rows: readonly Pick<Row, 'service_item_codes'>[], deps: Deps): Promise<ItemResolver> {
  const model = await deps.catalogReadModels.get();
  const removed = [...new Set(rows.flatMap((r) => r.service_item_codes))].filter((c) => !model?.findServiceItem(c));
  const lastKnown = new Map<string, { name: string; applicant_kinds: ApplicantKind[] }>();
  if (removed.length > 0) {
    const found = await deps.db.selectFrom('published_service_items').select(['code', 'name', 'applicant_kinds'])
      .distinctOn('code').where('code', 'in', removed).orderBy('code').orderBy('version_number', 'desc').execute();
    for (const f of found) lastKnown.set(f.code, f);
  }
  return (code) => {
    const item = model?.findServiceItem(code);
    if (item) return { code, name: item.name, applicantKinds: [...item.applicantKinds], offered: true };
    const last = lastKnown.get(code);
    return { code, name: last?.name ?? code, applicantKinds: last ? [...last.applicant_kinds] : [], offered: false };
  };
}

function view(r: Row, now: Date, item: ItemResolver): AuthorizationView {
  const expired = r.status === 'active' && new Date(r.valid_until).getTime() <= now.getTime();
  return {
    id: r.id, principal: { id: r.principal_account_id, name: r.principal_name, kind: principalKindOf(r.principal_kind) }, agent: { id: r.agent_account_id, name: r.agent_name },
    serviceItemCodes: r.service_item_codes, serviceItems: r.service_item_codes.map(item), validFrom: new Date(r.valid_from).toISOString(), validUntil: new Date(r.valid_until).toISOString(),
    status: expired ? 'expired' : r.status, createdAt: new Date(r.created_at).toISOString(), revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  };
}

/**
 * The applicant authorises an agent for the listed service items during a period. Every item must
 * be one the principal's kind may apply for (服务对象): an enterprise cannot authorise 结婚登记, a
 * person cannot authorise 企业设立登记 — 422 APPLICATION.WRONG_APPLICANT_KIND on the first such
 * `serviceItemCodes.<i>`, each one refused listed in details, nothing written.
 */
export async function authorizeAgent(input: { agentUsername: string; serviceItemCodes: string[]; validFrom?: string; validUntil: string }, actor: Actor, deps: Deps): Promise<AuthorizationView> {
  const model = await deps.catalogReadModels.get();
  if (!model) throw new AppError('CATALOG.NOT_PUBLISHED');
  const items = input.serviceItemCodes.map((code, i) => {
    const item = model.findServiceItem(code);
    if (!item) throw new AppError('CATALOG.SERVICE_ITEM_NOT_FOUND', { field: `serviceItemCodes.${i}` });
    return item;
  });
  const principalKind = principalKindOf(actor.kind);
  const refused = scopeNotForPrincipal(items, principalKind);
  const first = refused[0];
  if (first) {
    throw new AppError('APPLICATION.WRONG_APPLICANT_KIND', {
      field: `serviceItemCodes.${first.index}`, message: first.message, messageEn: first.messageEn,
      details: refused.map((r) => ({ field: `serviceItemCodes.${r.index}`, serviceItemCode: r.serviceItemCode, applicantKinds: r.applicantKinds, applicantKind: principalKind, message: r.message, messageEn: r.messageEn })),
    });
  }
  const now = deps.now();
  const from = input.validFrom ? new Date(input.validFrom) : now;
  const until = new Date(input.validUntil);
  if (Number.isNaN(from.getTime()) || Number.isNaN(until.getTime()) || !validPeriod(from, until) || until.getTime() <= now.getTime()) throw new AppError('AGENT.INVALID_PERIOD', { field: 'validUntil' });
  const agent = await deps.db.selectFrom('accounts').select(['id', 'display_name', 'roles', 'disabled']).where('username', '=', input.agentUsername).executeTakeFirst();
  if (!agent || agent.disabled || !agent.roles.includes('agent')) throw new AppError('AGENT.NOT_AN_AGENT', { field: 'agentUsername' });
  const values = {
    id: randomUUID(), principal_account_id: actor.id, principal_name: actor.displayName, agent_account_id: agent.id, agent_name: agent.display_name,
    service_item_codes: [...new Set(input.serviceItemCodes)], valid_from: from, valid_until: until, status: 'active' as const, created_at: now, revoked_at: null,
  };
  const row: Row = { ...values, principal_kind: actor.kind };
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('agent_authorizations').values(values).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'applicant', action: 'agent.authorize', subjectType: 'agent_authorization', subjectId: row.id, change: { agent: agent.id, serviceItemCodes: row.service_item_codes, validFrom: from.toISOString(), validUntil: until.toISOString() } });
  });
  return view(row, now, await itemResolver([row], deps));
}

export async function revokeAuthorization(id: string, actor: Actor, deps: Deps): Promise<AuthorizationView> {
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('agent_authorizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row || row.principal_account_id !== actor.id) throw new AppError('AGENT.AUTHORIZATION_NOT_FOUND', { field: 'id' });
    if (row.status === 'revoked') throw new AppError('AGENT.ALREADY_REVOKED', { field: 'id' });
    const now = deps.now();
    await trx.updateTable('agent_authorizations').set({ status: 'revoked', revoked_at: now }).where('id', '=', id).execute();
    await appendAudit(trx, { actorId: actor.id, actorRole: 'applicant', action: 'agent.revoke', subjectType: 'agent_authorization', subjectId: id, change: { revokedAt: now.toISOString() } });
    return { row: { ...row, principal_kind: actor.kind, status: 'revoked' as const, revoked_at: now }, now };
  });
  return view(revoked.row, revoked.now, await itemResolver([revoked.row], deps));
}

/**
 * As principal: the authorizations I gave; as agent: those I hold. Those in force (or yet to begin)
 * first, then the revoked and expired, newest first within each, then by id — so a page neither
 * repeats nor loses one — one page at a time with the total.
 */
export async function listAuthorizations(query: { side: 'given' | 'received'; page: number; pageSize: number }, actor: Actor, deps: Deps): Promise<{ items: AuthorizationView[]; total: number; page: number; pageSize: number }> {
  const now = deps.now();
  const q = deps.db.selectFrom('agent_authorizations').where(query.side === 'given' ? 'principal_account_id' : 'agent_account_id', '=', actor.id);
  const [rows, { n }] = await Promise.all([
    q.innerJoin('accounts as principal', 'principal.id', 'agent_authorizations.principal_account_id').selectAll('agent_authorizations').select('principal.kind as principal_kind')
      .orderBy(sql`CASE WHEN agent_authorizations.status = 'active' AND agent_authorizations.valid_until > ${now} THEN 0 ELSE 1 END`)
      .orderBy('agent_authorizations.created_at', 'desc').orderBy('agent_authorizations.id', 'desc')
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const item = await itemResolver(rows as Row[], deps);
  return { items: rows.map((r) => view(r as Row, now, item)), total: Number(n), page: query.page, pageSize: query.pageSize };
}
