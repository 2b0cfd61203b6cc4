/**
 * `mianzheng provider --config <file>`: runs a provider node until SIGINT/SIGTERM; SIGHUP
 * re-reads the configuration and applies its consumers (consumers / consumersFile) without
 * a restart — the other sections need one, and a broken file leaves the running list as it was.
 *   --check          validate the configuration (and create the node key), print the warnings the
 *                    node would log at start (startWarningLines, the same lines), and exit
 *   verify-trail     recompute the hash chain of the node's trail and exit (0 intact, 1 broken)
 *   trail-find       list the trail entries of queries with given parameters (e.g. about one
 *                    person): the trail keeps only an HMAC of the parameters, recomputed here
 *                    with the node's parameter key
 *   trail-prune      remove (--delete) or move (--move-to <dir>) trail archives older than
 *                    --before <YYYY-MM-DD>, at least six months ago; recorded in <trail>.pruned.json
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { loadNodeConfig, NodeConfigError, nodeConfigWarnings, type NodeConfig } from './node/config.ts';
import { createHmac } from 'node:crypto';
import { canonicalize } from '@mianzheng/crypto';
import { loadOrCreateNodeKey, loadOrCreateParamsKey } from './node/keys.ts';
import { validateParams } from './protocol/items.ts';
import { startProviderNode, startWarningLines } from './node/server.ts';
import { MIN_TRAIL_RETENTION_DAYS, prunedManifestFile, pruneTrail, readPrunedManifest, scanTrailSet, trailArchives, TrailPruneError, type TrailEntry } from './node/trail.ts';

const USAGE = `用法 Usage:
  mianzheng provider --config <file>               运行数据共享提供节点 run the provider node (SIGHUP: 重新加载调用方 reload the consumers)
  mianzheng provider --config <file> --check       校验配置并生成节点密钥,输出启动时的警告 check the configuration, create the node key, print the start warnings
  mianzheng provider verify-trail --config <file>  核验节点留痕哈希链 verify the node's trail hash chain
  mianzheng provider trail-find --config <file> --item <code> --params '{"idNumber":"…"}'
                                                   查询某参数(如某人)的调用留痕 list the trail entries of queries with these parameters
  mianzheng provider trail-prune --config <file> --before <YYYY-MM-DD> (--move-to <dir> | --delete)
                                                   清理过期留痕归档(至少保留 ${MIN_TRAIL_RETENTION_DAYS} 天) remove or move trail archives older than a date`;

export async function runProviderCli(argv: string[]): Promise<number> {
  const args = [...argv];
  const verify = args[0] === 'verify-trail';
  const find = args[0] === 'trail-find';
  const prune = args[0] === 'trail-prune';
  if (verify || find || prune) args.shift();
  let configFile: string | undefined;
  let check = false;
  let itemCode: string | undefined;
  let paramsText: string | undefined;
  let before: string | undefined;
  let moveTo: string | undefined;
  let remove = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--config' || a === '-c') configFile = args[++i];
    else if (a.startsWith('--config=')) configFile = a.slice('--config='.length);
    else if (a === '--check') check = true;
    else if (find && a === '--item') itemCode = args[++i];
    else if (find && a === '--params') paramsText = args[++i];
    else if (prune && a === '--before') before = args[++i];
    else if (prune && a === '--move-to') moveTo = args[++i];
    else if (prune && a === '--delete') remove = true;
    else if (a === '--help' || a === '-h') { console.log(USAGE); return 0; }
    else { console.error(`未知参数 Unknown argument: ${a}\n${USAGE}`); return 2; }
  }
  if (!configFile) { console.error(USAGE); return 2; }
  let config;
  try {
    config = loadNodeConfig(configFile);
  } catch (e) {
    if (e instanceof NodeConfigError) { console.error(e.message); return 2; }
    throw e;
  }
  if (verify) {
    const r = await scanTrailSet(config.trail.file);
    const pruned = r.pruned > 0 ? ` (entries 1–${r.pruned} pruned, see ${prunedManifestFile(config.trail.file)})` : '';
    console.log(r.ok ? `trail intact: ${r.entries} entries in ${r.files} file(s)${pruned}, last hash ${r.lastHash}` : `trail BROKEN at entry ${r.brokenAt}: ${r.problem}`);
    return r.ok ? 0 : 1;
  }
  if (find) return trailFind(config, itemCode, paramsText);
  if (prune) return trailPrune(config, before, moveTo, remove);
  // the running node's log lines (stderr), and --check's warnings in the same form
  const log = (line: string) => console.error(`[${config!.node.id}] ${line}`);
  if (check) {
    let loaded;
    try {
      loaded = loadOrCreateNodeKey(config.signing.keyFile, config.node.id, config.signing.suite);
    } catch (e) {
      if (e instanceof NodeConfigError) { console.error(e.message); return 2; }
      throw e;
    }
    const { key, created } = loaded;
    // what the node would warn about at start, found before it is started (valid, so exit 0)
    for (const line of startWarningLines(config)) log(line);
    console.log(JSON.stringify({
      ok: true, node: config.node.id, items: config.items.map((i) => i.definition.code), key: { keyId: key.keyId, suite: key.suite, publicKey: key.publicKey, created },
      warnings: nodeConfigWarnings(config),
    }, null, 2));
    return 0;
  }
  let node;
  try {
    // a key file others may read, or a column the sources do not have, is found only here
    node = await startProviderNode(config, { log });
  } catch (e) {
    if (e instanceof NodeConfigError) { console.error(e.message); return 2; }
    throw e;
  }
  // One line a supervisor (or a test) can parse: where the node listens and with which key.
  console.log(JSON.stringify({ event: 'listening', node: node.nodeId, url: node.url, keyId: node.key.keyId, suite: node.key.suite, publicKey: node.key.publicKey, items: config.items.map((i) => i.definition.code) }));
  const reload = () => {
    try {
      const next = loadNodeConfig(configFile!);
      node.reloadConsumers(next.consumers);
      const unchanged = (k: 'listen' | 'signing' | 'trail' | 'maxNonces' | 'sources' | 'items') => JSON.stringify(next[k]) === JSON.stringify(config![k]);
      const needRestart = (['listen', 'signing', 'trail', 'maxNonces', 'sources', 'items'] as const).filter((k) => !unchanged(k));
      console.log(JSON.stringify({ event: 'reloaded', node: node.nodeId, consumers: next.consumers.map((c) => c.id), ...(needRestart.length ? { restartNeededFor: needRestart } : {}) }));
    } catch (e) {
      const problems = e instanceof NodeConfigError ? e.message : (e as Error).message;
      console.log(JSON.stringify({ event: 'reload_failed', node: node.nodeId, problems }));
    }
  };
  process.on('SIGHUP', reload);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.off('SIGHUP', reload);
  await node.close();
  return 0;
}

/** `trail-prune`: archives older than --before leave the node (moved or deleted), recorded in the manifest first. */
async function trailPrune(config: NodeConfig, before: string | undefined, moveTo: string | undefined, remove: boolean): Promise<number> {
  if (!before || !/^\d{4}-\d{2}-\d{2}$/.test(before) || Number.isNaN(Date.parse(`${before}T00:00:00+08:00`))) {
    console.error('--before must be a date, YYYY-MM-DD (archives whose last entry is before that day, China time, are pruned)');
    return 2;
  }
  if (Boolean(moveTo) === remove) {
    console.error('say what happens to the archives: --move-to <directory> (cold storage) or --delete');
    return 2;
  }
  try {
    const { pruned, kept } = await pruneTrail(config.trail.file, { before: new Date(`${before}T00:00:00+08:00`), moveTo });
    for (const a of pruned) console.log(JSON.stringify({ archive: a.name, entries: `${a.from}-${a.to}`, firstAt: a.firstAt, lastAt: a.lastAt, sm3: a.sm3, disposition: a.disposition }));
    console.error(`${pruned.length} archive(s) pruned, ${kept} kept; recorded in ${prunedManifestFile(config.trail.file)}`);
    return 0;
  } catch (e) {
    if (e instanceof TrailPruneError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

/** `trail-find`: the entries of queries with exactly these (validated) parameters, archives included. */
async function trailFind(config: NodeConfig, itemCode: string | undefined, paramsText: string | undefined): Promise<number> {
  const item = config.items.find((i) => i.definition.code === itemCode);
  if (!item) {
    console.error(`--item must name an item of this node: ${config.items.map((i) => i.definition.code).join(', ')}`);
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(paramsText ?? '');
  } catch {
    console.error('--params must be a JSON object, e.g. {"idNumber":"…"}');
    return 2;
  }
  const checked = validateParams(item.definition, raw);
  if (!checked.ok) {
    console.error(`--params: ${checked.issue.field}: ${checked.issue.problem}`);
    return 2;
  }
  const digest = createHmac('sm3', loadOrCreateParamsKey(config.trail.paramsKeyFile)).update(canonicalize(checked.params)).digest('hex');
  const files = [...trailArchives(config.trail.file).map((a) => a.file), config.trail.file];
  let found = 0;
  for (const f of files) {
    if (!fs.existsSync(f)) continue;
    // reading only; whether the chain holds is verify-trail's question
    for await (const line of readline.createInterface({ input: fs.createReadStream(f, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      let e: TrailEntry;
      try {
        e = JSON.parse(line) as TrailEntry;
      } catch {
        continue;
      }
      if (e.item === item.definition.code && e.paramsHmac === digest) {
        found++;
        const { at, consumer, purpose, application, legalBasis, status, outcome, reason, asOf, seq } = e;
        console.log(JSON.stringify({ seq, at, consumer, purpose, application, legalBasis, status, outcome, reason, asOf }));
      }
    }
  }
  const manifest = readPrunedManifest(config.trail.file);
  const pruned = manifest ? `; entries 1–${manifest.anchor.seq} were pruned (${manifest.archives.map((a) => `${a.name} ${a.disposition}`).join(', ')}) and are not searched` : '';
  console.error(`${found} entr${found === 1 ? 'y' : 'ies'} for these parameters of ${item.definition.code}${pruned}`);
  return 0;
}
