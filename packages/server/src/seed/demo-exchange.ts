/**
 * The demo directory of 数据共享: the seven sample provider nodes of 马鞍山市, their data
 * items, the proof items each satisfies, and which departments may ask them — derived
 * from the demo catalog (a department whose service item requires a proof may ask the
 * item that proves it). Endpoints and node keys are filled in when the nodes start
 * (exchange/adapters/sample-nodes.ts).
 */
import { SAMPLE_NODES } from '@mianzheng/provider/samples';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Deps } from '../shared/deps.ts';
import { appendAudit } from '../audit/use-cases/append-audit.ts';
import { PROOF_TEMPLATES, SERVICE_TEMPLATES, proofItemId } from './demo-catalog.ts';
import { departmentId } from './reference-data.ts';

/** Which demo proof item (template key) each sample data item satisfies. */
export const ITEM_PROOFS: Record<string, string[]> = {
  'household-registration': ['hjzm'],
  'marriage-status': ['hyzk'],
  'social-insurance-contributions': ['sbjf'],
  'real-estate-ownership': ['bdcqs'],
  'owns-property': ['wfzm'],
  'enterprise-tax-status': ['wqs'],
  'personal-tax-payments': ['grws'],
  'birth-certificate': ['csyx'],
  'education-record': ['xlzm'],
};

const CITY = 'mas';

/** The grants the demo catalog implies: [consumer department, purposes] per item code. */
export function demoGrants(): Map<string, Map<string, Set<string>>> {
  const grants = new Map<string, Map<string, Set<string>>>();
  for (const service of SERVICE_TEMPLATES) {
    for (const proofKey of service.proofs) {
      const proof = PROOF_TEMPLATES.find((p) => p.key === proofKey);
      for (const [item, proofs] of Object.entries(ITEM_PROOFS)) {
        if (!proofs.includes(proofKey)) continue;
        let byDept = grants.get(item);
        if (!byDept) grants.set(item, (byDept = new Map()));
        const dept = departmentId(CITY, service.dept);
        let purposes = byDept.get(dept);
        if (!purposes) byDept.set(dept, (purposes = new Set()));
        purposes.add('application_review');
        purposes.add('dept_verification');
        if (proof?.methods.includes('commitment')) purposes.add('post_check');
      }
    }
  }
  return grants;
}

export function sampleEndpoint(offset: number, basePort = 8181, host = '127.0.0.1'): string {
  return `http://${host}:${basePort + offset}`;
}

/** Registers the sample nodes that are missing from the directory (idempotent). Returns the ids added. */
export async function ensureSampleDirectory(trx: Transaction<DB>, now: Date, basePort = 8181): Promise<string[]> {
  const existing = new Set((await trx.selectFrom('exchange_providers').select('id').execute()).map((r) => r.id));
  const proofIds = new Set((await trx.selectFrom('proof_items').select('id').execute()).map((r) => r.id));
  const depts = new Set((await trx.selectFrom('departments').select('id').execute()).map((r) => r.id));
  const grants = demoGrants();
  const added: string[] = [];
  for (const spec of SAMPLE_NODES) {
    const dept = departmentId(CITY, spec.departmentKey);
    if (existing.has(spec.nodeId) || !depts.has(dept)) continue;
    await trx.insertInto('exchange_providers').values({
      id: spec.nodeId, name: spec.name, department_id: dept, endpoint: sampleEndpoint(spec.offset, basePort), request_suite: spec.suite,
      timeout_ms: 2000, max_attempts: 3, concurrency: 32, breaker_threshold: 5, breaker_half_open_ms: 10_000, created_at: now, updated_at: now,
    }).execute();
    for (const { definition } of spec.items) {
      const proofs = (ITEM_PROOFS[definition.code] ?? []).map((k) => proofItemId(CITY, k)).filter((id) => proofIds.has(id));
      await trx.insertInto('exchange_items').values({ provider_id: spec.nodeId, code: definition.code, name: definition.name, definition: JSON.stringify(definition), proof_item_ids: proofs, updated_at: now }).execute();
      const byDept = grants.get(definition.code);
      const rows = [...(byDept ?? new Map<string, Set<string>>())].filter(([d]) => depts.has(d)).map(([d, purposes]) => ({
        provider_id: spec.nodeId, item_code: definition.code, consumer_department_id: d, purposes: [...purposes].sort(),
      }));
      if (rows.length) await trx.insertInto('exchange_grants').values(rows).execute();
    }
    added.push(spec.nodeId);
  }
  return added;
}

/** Called from seedDemo, once, on an empty database. */
export async function seedDemoExchange(deps: Deps): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const added = await ensureSampleDirectory(trx, deps.now());
    if (added.length) {
      await appendAudit(trx, { actorId: 'system', actorRole: 'data_admin', action: 'exchange.directory.seed', subjectType: 'exchange_directory', subjectId: 'demo', change: { providers: added } });
    }
  });
  deps.exchange?.directory.invalidate();
}
