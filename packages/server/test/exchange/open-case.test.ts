/**
 * A member of staff's own data-sharing query must serve an open case of their department
 * about the person asked about (查询须有在办事项): the application reference is checked
 * against the department's applications in hand, verification requests and post-check
 * tasks before anything is sent. A typed reference that names no such case is refused,
 * logged as an attempt, and nothing reaches the provider or the subject's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { departmentServiceActor } from '../../src/identity/domain/roles.ts';
import { queryProvider } from '../../src/exchange/use-cases/query-provider.ts';
import { AGENT_ID, CITIZEN_ID, openCase, openTask, QUERY, register, startInProcess, trailOf, writeMarriageNode, type NodeSetup, type RunningNode } from './support.ts';

let p: TestPlatform;
let setup: NodeSetup;
let node: RunningNode;

async function query(body: Record<string, unknown>, as = 'clerk') {
  const res = await p.app.inject({ method: 'POST', url: '/api/v1/exchange/queries', headers: await p.as(as), payload: { ...QUERY, ...body } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function accessEntries(ref: string): Promise<number> {
  const rows = await p.database.db.selectFrom('access_log').select('id').where('application_ref', '=', ref).execute();
  return rows.length;
}

beforeAll(async () => {
  p = await createTestPlatform();
  setup = await writeMarriageNode(p);
  node = await startInProcess(setup);
  await register(p, node);
});
afterAll(async () => {
  await node?.stop();
  await p?.close();
});

describe('a clerk\'s query names an application of the clerk\'s department in hand, about the subject', () => {
  it('an invented application number → denied no_open_case before anything is sent: logged as an attempt, no access-log entry, nothing on the node', async () => {
    const trailBefore = trailOf(setup).length;
    const out = await query({ applicationRef: 'BJ-INVENTED-0001' });
    expect(out).toMatchObject({ outcome: 'denied', reason: 'no_open_case', field: 'applicationRef', accessLogId: null, attempts: 0 });
    expect(out.message).toContain('在办');
    const row = await p.database.db.selectFrom('exchange_log').selectAll().where('id', '=', out.exchangeId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ outcome: 'denied', reason: 'no_open_case', sent: false, application_ref: 'BJ-INVENTED-0001', consumer_department_id: 'mas-ga' });
    expect(await accessEntries('BJ-INVENTED-0001')).toBe(0);
    expect(trailOf(setup).length).toBe(trailBefore);
  });

  it('an application under review about the subject → answered; the same number asked about another person → no_open_case', async () => {
    await openCase(p, { ref: 'BJ-CASE-OWN' });
    expect(await query({ applicationRef: 'BJ-CASE-OWN' })).toMatchObject({ outcome: 'answered', answer: { married: false } });
    expect(await query({ applicationRef: 'BJ-CASE-OWN', params: { idNumber: AGENT_ID } })).toMatchObject({ outcome: 'denied', reason: 'no_open_case' });
    expect(await accessEntries('BJ-CASE-OWN')).toBe(1); // the citizen's entry only; the agent's data was never asked for
  });

  it('an application of another department → no_open_case', async () => {
    await openCase(p, { ref: 'BJ-CASE-MZ', departmentId: 'mas-mz' });
    expect(await query({ applicationRef: 'BJ-CASE-MZ' })).toMatchObject({ outcome: 'denied', reason: 'no_open_case' });
  });

  it('in hand: submitted and returned for correction count; approved and withdrawn do not', async () => {
    for (const [status, outcome] of [['submitted', 'answered'], ['returned', 'answered'], ['approved', 'denied'], ['withdrawn', 'denied']] as const) {
      await openCase(p, { ref: `BJ-CASE-${status}`, status });
      expect((await query({ applicationRef: `BJ-CASE-${status}` })).outcome, status).toBe(outcome);
    }
  });

  it('a surrounding blank in the typed number does not matter', async () => {
    await openCase(p, { ref: 'BJ-CASE-TRIM' });
    expect(await query({ applicationRef: ' BJ-CASE-TRIM ' })).toMatchObject({ outcome: 'answered' });
  });
});

describe('an issuing department\'s query names its own verification request or post-check task', () => {
  it('dept_verification: a pending request to 民政 about the subject → answered; an answered one, or one to another department → no_open_case', async () => {
    await openTask(p, { ref: 'BJ-VER-PENDING', purpose: 'dept_verification' });
    await openTask(p, { ref: 'BJ-VER-DONE', purpose: 'dept_verification', status: 'confirmed' });
    await openTask(p, { ref: 'BJ-VER-OTHER', purpose: 'dept_verification', departmentId: 'mas-rs' });
    expect(await query({ applicationRef: 'BJ-VER-PENDING', purpose: 'dept_verification' }, 'issuer')).toMatchObject({ outcome: 'answered', answer: { married: false } });
    expect(await query({ applicationRef: 'BJ-VER-DONE', purpose: 'dept_verification' }, 'issuer')).toMatchObject({ outcome: 'denied', reason: 'no_open_case' });
    expect(await query({ applicationRef: 'BJ-VER-OTHER', purpose: 'dept_verification' }, 'issuer')).toMatchObject({ outcome: 'denied', reason: 'no_open_case' });
    // the application itself belongs to 公安: 民政 cannot name it for application_review
    expect(await query({ applicationRef: 'BJ-VER-PENDING' }, 'issuer')).toMatchObject({ outcome: 'denied', reason: 'no_open_case' });
  });

  it('post_check: an open task of 民政 about the subject → answered; a finished one → no_open_case', async () => {
    await openTask(p, { ref: 'BJ-PC-OPEN', purpose: 'post_check' });
    await openTask(p, { ref: 'BJ-PC-DONE', purpose: 'post_check', status: 'done' });
    expect(await query({ applicationRef: 'BJ-PC-OPEN', purpose: 'post_check' }, 'issuer')).toMatchObject({ outcome: 'answered' });
    expect(await query({ applicationRef: 'BJ-PC-DONE', purpose: 'post_check' }, 'issuer')).toMatchObject({ outcome: 'denied', reason: 'no_open_case' });
    expect(await query({ applicationRef: 'BJ-PC-OPEN', purpose: 'post_check', params: { idNumber: AGENT_ID } }, 'issuer')).toMatchObject({ outcome: 'denied', reason: 'no_open_case' });
  });
});

describe('the application engine', () => {
  it('acts as the department\'s service actor, bound to the application it resolves, and is not asked for a case', async () => {
    const out = await queryProvider({ ...QUERY, applicationRef: 'BJ-ENGINE-RESOLVING', consumerDepartmentId: 'mas-ga', subject: { code: CITIZEN_ID, kind: 'person' } }, departmentServiceActor('mas-ga', '马鞍山市公安局'), p.app.deps);
    expect(out).toMatchObject({ outcome: 'answered' });
  });
});
