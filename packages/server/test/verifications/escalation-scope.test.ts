/**
 * Escalations are region-scoped like credit records and statistics: a supervisor's region is the
 * account's, else its department's. A supervisor bound to 铜陵's department only (no account region)
 * is neither shown nor told of 马鞍山's overdue requests; one bound to 马鞍山's is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { addSupervisor, fileApplication, material, scriptPorts } from '../applications/helpers.ts';
import { DEMO_PASSWORD } from '../../src/seed/demo-accounts.ts';

/** Sessions expire by the injected clock, so each call signs in afresh. */
async function call(pl: TestPlatform, user: string, method: 'GET' | 'POST', url: string) {
  const login = await pl.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: DEMO_PASSWORD } });
  return pl.app.inject({ method, url, headers: { authorization: `Bearer ${login.json().token}` } });
}

let now = new Date('2025-09-30T02:00:00Z');
let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => now });
  scriptPorts(p);
  await addSupervisor(p, 'sup-tl-dept', null, 'tl-mz');
  await addSupervisor(p, 'sup-mas-dept', null, 'mas-mz');
});
afterAll(async () => { await p?.close(); });

describe('escalations for a supervisor bound to a department', () => {
  it('lists and tells only the department region\'s overdue requests', async () => {
    const app = await fileApplication(p, 'citizen', '340500-LSJZ');
    const requestId = material(app, 'dbzm').resolution.verification!.id as string;
    now = new Date('2025-10-12T01:00:00Z');
    const mas = await call(p, 'sup-mas-dept', 'GET', '/api/v1/verifications/escalated');
    expect(mas.statusCode, mas.body).toBe(200);
    expect(mas.json().items.some((i: { id: string }) => i.id === requestId)).toBe(true);
    const tl = (await call(p, 'sup-tl-dept', 'GET', '/api/v1/verifications/escalated')).json();
    expect(tl.items.some((i: { id: string }) => i.id === requestId)).toBe(false);
    expect(tl.items.every((i: { issuingDepartmentName: string }) => i.issuingDepartmentName.startsWith('铜陵市'))).toBe(true);

    const told = async (user: string) => (await call(p, user, 'GET', '/api/v1/me/notifications')).json().items
      .some((n: { kind: string; body: string }) => n.kind === 'verification.escalated' && n.body.includes(app.ref));
    expect(await told('sup-mas-dept')).toBe(true);
    expect(await told('supervisor')).toBe(true);
    expect(await told('sup-tl-dept')).toBe(false);
  });
});
