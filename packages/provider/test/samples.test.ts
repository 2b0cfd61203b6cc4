import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdentityNumber, parseUscc, usccCheckChar } from '@mianzheng/crypto';
import { parseNodeConfig } from '../src/node/config.ts';
import { startProviderNode, type ProviderNode } from '../src/node/server.ts';
import { generateWorld, LEGACY_BACKEND_OFFSET, prepareSampleData, SAMPLE_NODES, sampleNodeConfig, startLegacyBackend, type LegacyBackend } from '../src/samples/index.ts';
import { id, newConsumer, sendQuery, tmpDir } from './support.ts';

const citizen = id('34050319900307002');
const agent = id('34050419850612003');
const enterprise = '91340500MA2N0X1B3' + usccCheckChar('91340500MA2N0X1B3');
const consumer = newConsumer('mas-ga', 'Ed25519');

describe('synthetic records', () => {
  it('are deterministic and carry valid identity numbers and USCCs', () => {
    const a = generateWorld({ seed: 7, count: 50, now: new Date('2026-03-01T00:00:00Z') });
    const b = generateWorld({ seed: 7, count: 50, now: new Date('2026-03-01T00:00:00Z') });
    expect(a).toEqual(b);
    expect(a.people).toHaveLength(50);
    expect(a.people.every((p) => parseIdentityNumber(p.idNumber).valid)).toBe(true);
    expect(a.enterprises.every((e) => parseUscc(e.uscc).valid)).toBe(true);
    expect(new Set(a.people.map((p) => p.idNumber)).size).toBe(50);
  });
});

describe('the seven sample nodes on synthetic records', () => {
  let dir: string;
  let legacy: LegacyBackend;
  const nodes = new Map<string, ProviderNode>();
  beforeAll(async () => {
    dir = tmpDir('mz-samples-');
    await prepareSampleData(dir, { demoPeople: [{ idNumber: citizen, name: '张晓梅' }, { idNumber: agent, name: '李帮办', profile: 'married-homeowner' }], demoEnterprises: [{ uscc: enterprise, name: '马鞍山市皖江新材料有限公司' }], count: 60 });
    legacy = await startLegacyBackend({ dir: path.join(dir, 'legacy-backend') });
    for (const spec of SAMPLE_NODES) {
      const consumers = [{ id: consumer.id, name: '马鞍山市公安局', keys: [{ keyId: consumer.keyId, suite: consumer.suite, publicKey: consumer.publicKey }], allow: spec.items.map((i) => ({ item: i.definition.code, purposes: ['application_review'] })) }];
      const raw = sampleNodeConfig(spec, { dir: path.join(dir, spec.nodeId), host: '127.0.0.1', port: 0, legacyBaseUrl: legacy.url, consumers });
      nodes.set(spec.nodeId, await startProviderNode(parseNodeConfig(raw, path.join(dir, spec.nodeId))));
    }
  }, 120_000);
  afterAll(async () => {
    for (const n of nodes.values()) await n.close();
    await legacy?.close();
  });

  const ask = (node: string, itemCode: string, params: Record<string, unknown>) => sendQuery(nodes.get(node)!.url, consumer, { itemCode, params });

  it('answer the demo citizen from every department (SQL, CSV, xlsx and HTTP adapters)', async () => {
    expect((await ask('node-mas-ga', 'household-registration', { idNumber: citizen })).json).toMatchObject({ outcome: 'answered', answer: { name: '张晓梅', registeredRegion: '340503', relationToHead: '户主' } });
    expect((await ask('node-mas-mz', 'marriage-status', { idNumber: citizen })).json.answer).toEqual({ married: false });
    const si = (await ask('node-mas-rs', 'social-insurance-contributions', { idNumber: citizen, months: 6 })).json;
    expect(si.answer.records).toHaveLength(12); // 6 months × 2 insurance types
    expect((await ask('node-mas-bdc', 'owns-property', { idNumber: citizen })).json.answer).toEqual({ ownsProperty: false });
    expect((await ask('node-mas-bdc', 'real-estate-ownership', { idNumber: agent })).json.answer.records).toEqual([expect.objectContaining({ area: 118.6, usage: '住宅', registeredOn: '2013-05-20' })]);
    expect((await ask('node-mas-sw', 'enterprise-tax-status', { uscc: enterprise })).json.answer).toEqual({ noArrears: true, taxpayerStatus: '正常' });
    expect((await ask('node-mas-sw', 'personal-tax-payments', { idNumber: citizen, months: 3 })).json.answer.records).toHaveLength(3);
    expect((await ask('node-mas-jy', 'education-record', { idNumber: citizen })).json).toMatchObject({ outcome: 'answered', answer: { level: '本科', school: '安徽工业大学', graduationYear: 2012 } });
    expect((await ask('node-mas-wj', 'birth-certificate', { motherIdNumber: citizen })).json.outcome).toBe('not_found');
  });

  it('each answer states how current its data is', async () => {
    const r = await ask('node-mas-mz', 'marriage-status', { idNumber: agent });
    expect(Date.parse(r.json.asOf)).toBeLessThan(Date.parse(r.json.answeredAt));
  });

  it('the legacy backend of the samples listens on base+7 when a base port is given', () => {
    expect(LEGACY_BACKEND_OFFSET).toBe(7);
    expect(new Set(SAMPLE_NODES.map((s) => s.offset)).size).toBe(7);
  });
});
