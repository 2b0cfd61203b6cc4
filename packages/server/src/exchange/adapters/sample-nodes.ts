/**
 * `npm start` in demo mode runs the sample provider nodes next to the platform, each on
 * its own port with its own key, configuration file, data and trail under
 * DATA_DIR/providers/<node>/ — exactly what a department would deploy, only in the same
 * process. Each start: writes synthetic records (once a month), writes each node's
 * configuration with the consumers the directory grants, starts the nodes, and points
 * the directory at their endpoints and keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadNodeConfig, startProviderNode, type ProviderNode } from '@mianzheng/provider';
import { LEGACY_BACKEND_OFFSET, prepareSampleData, SAMPLE_NODES, sampleNodeConfig, startLegacyBackend, type LegacyBackend } from '@mianzheng/provider/samples';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { DEMO_ACCOUNTS } from '../../seed/demo-accounts.ts';
import { ensureSampleDirectory } from '../../seed/demo-exchange.ts';
import { exchangeOf } from './exchange-infra.ts';
import { loadDirectory } from './directory-store.ts';
import { exportNodeConfig } from '../use-cases/export-node-config.ts';
import { setProviderKeys } from '../use-cases/set-provider-keys.ts';
import { updateProvider } from '../use-cases/update-provider.ts';

const SYSTEM: Actor = {
  id: 'system', username: 'system', displayName: '系统(示例节点)', kind: 'staff', roles: ['data_admin'], departmentId: 'ah-sjzy', departmentName: '安徽省数据资源管理局', regionCode: '340000',
};

export interface SampleProviders {
  nodes: Array<{ id: string; name: string; url: string; items: string[]; suite: string; adapter: string }>;
  failures: Array<{ id: string; error: string }>;
  legacyBackend: string | null;
  dir: string;
  close(): Promise<void>;
}

export async function startSampleProviders(deps: Deps, options: { dataDir: string; basePort: number; host?: string; log?: (line: string) => void }): Promise<SampleProviders> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const dir = path.join(options.dataDir, 'providers');
  const portOf = (offset: number) => (options.basePort === 0 ? 0 : options.basePort + offset);
  const demoPeople = DEMO_ACCOUNTS.filter((a) => a.idNumber).map((a, i) => ({ idNumber: a.idNumber!, name: a.displayName, profile: i === 0 ? 'unmarried-employee' as const : 'married-homeowner' as const }));
  const demoEnterprises = DEMO_ACCOUNTS.filter((a) => a.uscc).map((a) => ({ uscc: a.uscc!, name: a.displayName }));
  const { written } = await prepareSampleData(dir, { demoPeople, demoEnterprises });
  if (written) log(`sample provider data written to ${dir}`);

  await deps.db.transaction().execute((trx) => ensureSampleDirectory(trx, deps.now(), options.basePort || 8181));
  exchangeOf(deps).directory.invalidate();

  let legacy: LegacyBackend | undefined;
  const nodes: ProviderNode[] = [];
  const result: SampleProviders = {
    nodes: [], failures: [], legacyBackend: null, dir,
    async close() {
      for (const n of nodes) await n.close().catch(() => undefined);
      await legacy?.close();
    },
  };
  try {
    const backendDir = path.join(dir, 'legacy-backend');
    const started = await startLegacyBackend({ dir: backendDir, host, port: portOf(LEGACY_BACKEND_OFFSET) })
      .catch((e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? startLegacyBackend({ dir: backendDir, host, port: 0 }) : Promise.reject(e)));
    legacy = started;
    result.legacyBackend = started.url;
  } catch (e) {
    log(`sample legacy backend could not start: ${(e as Error).message}`);
  }
  const { providers } = await loadDirectory(deps.db);
  for (const spec of SAMPLE_NODES) {
    const entry = providers.find((p) => p.id === spec.nodeId);
    if (!entry) continue; // removed from the directory by an administrator: not started
    try {
      if (spec.adapter === 'http' && !legacy) throw new Error('its backend did not start');
      const nodeDir = path.join(dir, spec.nodeId);
      const { consumers } = await exportNodeConfig(spec.nodeId, deps);
      const config = sampleNodeConfig(spec, { dir: nodeDir, host, port: portOf(spec.offset), legacyBaseUrl: `${legacy?.url ?? 'http://127.0.0.1:1'}`, consumers });
      const file = path.join(nodeDir, 'node.json');
      fs.mkdirSync(nodeDir, { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
      let node: ProviderNode;
      try {
        node = await startProviderNode(loadNodeConfig(file), { log: (line) => log(`[${spec.nodeId}] ${line}`) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
        // the configured port is taken (another instance?): any free port will do, the directory follows
        log(`sample node ${spec.nodeId}: port ${portOf(spec.offset)} is in use, taking a free port`);
        fs.writeFileSync(file, `${JSON.stringify({ ...config, listen: { host, port: 0 } }, null, 2)}\n`);
        node = await startProviderNode(loadNodeConfig(file), { log: (line) => log(`[${spec.nodeId}] ${line}`) });
      }
      nodes.push(node);
      if (entry.endpoint !== node.url) await updateProvider(spec.nodeId, { endpoint: node.url }, SYSTEM, deps);
      const active = entry.keys.filter((k) => k.status === 'active');
      if (active.length !== 1 || active[0]!.keyId !== node.key.keyId) await setProviderKeys(spec.nodeId, [node.key], SYSTEM, deps);
      result.nodes.push({ id: spec.nodeId, name: spec.name, url: node.url, items: spec.items.map((i) => i.definition.code), suite: node.key.suite, adapter: spec.adapter });
    } catch (e) {
      result.failures.push({ id: spec.nodeId, error: (e as Error).message });
      log(`sample node ${spec.nodeId} did not start: ${(e as Error).message}`);
    }
  }
  exchangeOf(deps).directory.invalidate();
  return result;
}

/** What `npm start` prints about the sample nodes. */
export function sampleProviderLines(s: SampleProviders): string[] {
  const lines = [`  Sample data-sharing provider nodes (数据共享示例节点, data and trails in ${s.dir}):`];
  for (const n of s.nodes) lines.push(`    ${n.id.padEnd(13)} ${n.url.padEnd(23)} ${n.suite.padEnd(8)} ${n.adapter.padEnd(5)} ${n.name}: ${n.items.join(', ')}`);
  for (const f of s.failures) lines.push(`    ${f.id.padEnd(13)} NOT STARTED: ${f.error}`);
  if (s.legacyBackend) lines.push(`    (sample department backend for the http adapter: ${s.legacyBackend})`);
  return lines;
}
