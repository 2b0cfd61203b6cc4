/**
 * The printed 告知承诺书 (PDF) says what the applicant signed, in Beijing time: a commitment signed
 * at 07:30 on 1 October in Beijing (23:30 UTC the day before) is printed as signed on 1 October,
 * the date its 日期 line names — not as a UTC instant of the day before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { call, fileApplication, material, scriptPorts } from '../applications/helpers.ts';
import { pdfText } from './pdf-text.ts';

const clock = new Date('2025-09-30T23:30:00Z');
let p: TestPlatform;
beforeAll(async () => {
  p = await createTestPlatform({ now: () => clock });
  scriptPorts(p);
});
afterAll(async () => { await p?.close(); });

describe('the commitment PDF', () => {
  it('prints the signing time in Beijing time, on the date the text names', async () => {
    const app = await fileApplication(p, 'citizen', '340500-JHDJ');
    const c = material(app, 'hyzk').resolution.commitment!;
    const signed = await call(p, 'citizen', 'POST', `/api/v1/commitments/${c.id}/sign`, { accept: true });
    expect(signed.statusCode, signed.body).toBe(200);
    const res = await call(p, 'citizen', 'GET', `/api/v1/commitments/${c.id}/pdf`);
    expect(res.statusCode).toBe(200);
    const lines = pdfText(res.rawPayload);
    expect(lines).toContain('日期:2025-10-01');
    const status = lines.find((l) => l.startsWith('签署状态:'));
    expect(status).toBe('签署状态:已由承诺人本人电子签署(本人账号签署),签署时间 2025-10-01 07:30:00(北京时间)');
  });
});
