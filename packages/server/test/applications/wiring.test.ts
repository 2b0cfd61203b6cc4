import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { startSampleProviders, type SampleProviders } from '../../src/exchange/adapters/sample-nodes.ts';
import { call, fileApplication, material } from './helpers.ts';

/** The engine on its real ports: the licenses context and the exchange context with the sample provider nodes on loopback. */
let p: TestPlatform;
let providers: SampleProviders;
beforeAll(async () => {
  p = await createTestPlatform();
  providers = await startSampleProviders(p.app.deps, { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'mz-app-wiring-')), basePort: 0 });
});
afterAll(async () => {
  await providers?.close().catch(() => undefined);
  await p?.close();
});

describe('data sharing through provider nodes', () => {
  it('answers 婚姻状况 from the 民政 node with purpose = this application, as-of time and provider signature', async () => {
    expect(providers.failures).toEqual([]);
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const hyzk = material(app, 'hyzk').resolution;
    expect(hyzk, JSON.stringify(hyzk.attempts)).toMatchObject({ status: 'satisfied', method: 'data_sharing', withoutSubmission: true });
    expect(hyzk.evidence).toMatchObject({ asOf: expect.any(String), signature: { keyId: expect.any(String), value: expect.any(String) } });
    const log = (await call(p, 'citizen', 'GET', '/api/v1/me/access-log?pageSize=100')).json();
    expect(log.items.some((e: { applicationRef: string; dataItem: string }) => e.applicationRef === app.ref && e.dataItem.startsWith('exchange'))).toBe(true);
  });

  it('with the provider nodes stopped, offers the next method (commitment) and says why — never paper silently', async () => {
    await providers.close();
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const hyzk = material(app, 'hyzk').resolution;
    expect(hyzk).toMatchObject({ status: 'awaiting_signature', method: 'commitment' });
    expect(hyzk.attempts[0]).toMatchObject({ method: 'data_sharing', outcome: 'unavailable' });
    expect(hyzk.explanation).toContain('数据共享未能使用');
  });
});

describe('e-licenses through the licenses context', () => {
  it('a license the applicant does not hold: the next method, and why — not a grant request for nothing', async () => {
    // the demo citizen holds no 不动产权证书; ZM-MAS-BDCQS allows e_license, then data_sharing
    const app = await fileApplication(p, 'citizen', '340500-BDCZY');
    const r = material(app, 'bdcqs').resolution;
    expect(r.attempts[0]).toMatchObject({ method: 'e_license' });
    expect(r.attempts[0]!.reason).toContain('您名下没有');
    expect(r.status).not.toBe('awaiting_grant');
    expect(r.attempts[1]).toMatchObject({ method: 'data_sharing' }); // tried next (the nodes are stopped by the test above)
  });
});

