/**
 * The node's configuration file (JSON), read and validated once at start. Relative paths
 * are resolved against the directory of the file. See docs/exchange.md for an example.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkItemDefinition, type ItemDefinition } from '../protocol/items.ts';
import { FORMATS, SUITES, type Suite } from '../protocol/canonical.ts';
import { MAX_BATCH } from '../protocol/batch.ts';
import { PURPOSES } from '../protocol/purposes.ts';
import { DEFAULT_MAX_NONCES } from './nonce-store.ts';

/** Nonces a node may hold at most (one JavaScript Map per consumer stays well below V8's limit of 2^24 entries). */
export const MAX_NONCES_LIMIT = 16_000_000;

export type Scalar = string | number | boolean | null;

export type SourceConfig =
  | { type: 'sql'; url?: string; pgliteDir?: string; poolSize?: number }
  | { type: 'csv'; file: string }
  | { type: 'xlsx'; file: string; sheet?: string }
  | { type: 'http'; baseUrl: string; timeoutMs?: number; headers?: Record<string, string>; noRecord?: NoRecordMarker };

/**
 * http: how the backend says "no such record" — an answer with this status whose JSON body
 * holds every member of `body` (a dotted name reaches a nested member) with exactly that
 * value. Any other 404 (no such path, a removed route, a proxy's page) is source_unavailable.
 * Without a marker every 404 is source_unavailable (and the node warns at start): only a 200
 * whose rows are null or empty says "no record" then.
 */
export interface NoRecordMarker { status: number; body: Record<string, Scalar> }

/** How one answer field is read from the source rows. */
export type FieldRule =
  | { column: string }
  /** true when the column's value is one of `in` (e.g. marital status 已婚 → married: true) */
  | { column: string; in: Scalar[] }
  /** true when the source returned at least one row */
  | { exists: true };

export type AsOfRule =
  /** the latest value of this column over the rows used */
  | { column: string }
  /** sql: a query returning one timestamp (e.g. the registry's last update) */
  | { query: string }
  /** the source's own snapshot time: file modification time, `x-data-as-of` of an HTTP backend, or now for a live database */
  | 'source';

export interface ItemBinding {
  source: string;
  /** sql: the query, with $1… bound to `args` (parameter names) in order */
  query?: string;
  args?: string[];
  /** csv/xlsx: column → parameter name, rows must match all */
  match?: Record<string, string>;
  /** csv/xlsx: keep rows whose YYYY-MM column lies within the last <param> months */
  lastMonths?: { column: string; param: string };
  /** http: path template appended to the source's baseUrl, `{param}` replaced by the encoded value */
  path?: string;
  /** http: dotted path to the row array in the JSON answer (the answer itself when absent; an object counts as one row) */
  rowsPath?: string;
  /**
   * http: columns the backend leaves out of a row when their value is null — absent there reads
   * as null. Only columns copied into an answer field (`{ column }`), never one a yes/no or the
   * as-of time is derived from. Any other column the item reads must be a member of every row,
   * or the answer is source_unavailable (a misspelt column must not read as empty for everyone).
   */
  absentAsNull?: string[];
  fields: Record<string, FieldRule>;
  asOf: AsOfRule;
  /** What to answer when the source has no row: not_found (default), or a fixed answer (e.g. ownsProperty: false). */
  whenMissing?: 'not_found' | Record<string, Scalar>;
}

export interface ItemConfig { definition: ItemDefinition; binding: ItemBinding }

export interface ConsumerKey { keyId: string; suite: Suite; publicKey: string }

export interface ConsumerConfig {
  id: string;
  name: string;
  keys: ConsumerKey[];
  /** which items this consumer may ask, for which purposes */
  allow: Array<{ item: string; purposes: string[] }>;
}

export interface NodeConfig {
  node: { id: string; name: string; department?: string };
  listen: { host: string; port: number };
  /** maxBatch: answers signed together at most (batch signatures, protocol/batch.ts); 1 signs each alone */
  signing: { suite: Suite; keyFile: string; maxBatch: number };
  /** rotateBytes: the file is archived and a new one continues the chain at this size (0: never) */
  trail: { file: string; fsync: boolean; rotateBytes: number; paramsKeyFile: string };
  freshnessMs: number;
  maxBodyBytes: number;
  /**
   * Nonces held at most (replay protection, each kept until its request's timestamp leaves the
   * window). When full the node refuses new requests (`busy`) until old nonces age out.
   */
  maxNonces: number;
  /**
   * Whether a request that names no node (x-mz-node, signed) is taken: false (the default), it is
   * refused as `wrong_node`, since such a request could be replayed to any node offering the item;
   * true only while platforms of an earlier release, which do not name the node, still call.
   */
  acceptUnboundRequests: boolean;
  consumers: ConsumerConfig[];
  sources: Record<string, SourceConfig>;
  items: ItemConfig[];
  /** the file the configuration was read from, if any */
  file?: string;
}

export class NodeConfigError extends Error {
  constructor(readonly problems: string[], file?: string) {
    super(`provider node configuration${file ? ` ${file}` : ''} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'NodeConfigError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const HTTP_SOURCE_KEYS = new Set(['type', 'baseUrl', 'timeoutMs', 'headers', 'noRecord', '$comment']);
const NESTED = 'a nested member is named with dots: "error.code"';

/** Checks an http source's `noRecord` (problems go to `p`); the marker with its default status, or undefined when unusable. */
function parseNoRecord(raw: unknown, at: string, p: string[]): NoRecordMarker | undefined {
  if (!isObj(raw)) {
    p.push(`${at} must be an object, e.g. { "status": 404, "body": { "code": "NO_RECORD" } }: what the backend answers for "no such record"`);
    return undefined;
  }
  const before = p.length;
  for (const k of Object.keys(raw)) if (k !== 'status' && k !== 'body') p.push(`${at}: unknown key "${k}"`);
  const status = raw.status ?? 404;
  if (typeof status !== 'number' || !Number.isInteger(status) || !((status >= 200 && status <= 299) || (status >= 400 && status <= 499))) p.push(`${at}.status must be an HTTP status 200–299 or 400–499 (default 404)`);
  const body = raw.body;
  if (!isObj(body) || Object.keys(body).length === 0) {
    p.push(`${at}.body must name at least one member of the backend's no-record answer and its value, e.g. { "code": "NO_RECORD" }: a status alone cannot tell "no such record" from "no such path"`);
  } else {
    for (const [member, value] of Object.entries(body)) {
      if (member.split('.').some((part) => part === '')) p.push(`${at}.body: "${member}" is not a member name (${NESTED})`);
      else if (!(value === null || ['string', 'number', 'boolean'].includes(typeof value))) p.push(`${at}.body.${member} must be a string, number, boolean or null (${NESTED})`);
    }
  }
  return p.length === before ? { status: status as number, body: body as Record<string, Scalar> } : undefined;
}

/**
 * What a valid configuration may not do as its operator expects, for the node to log once at
 * start: an http source without `noRecord` never takes a 404 for "no record" (a wrong path
 * answers 404 too) — every such query is source_unavailable, whatever the backend meant.
 */
export function nodeConfigWarnings(config: Pick<NodeConfig, 'sources'>): string[] {
  return Object.entries(config.sources).flatMap(([name, s]) => (s.type === 'http' && !s.noRecord
    ? [`source ${name}: no noRecord — an HTTP 404 from the backend is source_unavailable, never "no record" (a wrong path or a route the backend no longer has answers 404 too). If the backend answers "no such record" with a 404 (or a business code), set sources.${name}.noRecord to what that answer carries, e.g. { "status": 404, "body": { "code": "NO_RECORD" } } (docs/exchange.md)`]
    : []));
}

/** Reads and validates a configuration file. */
export function loadNodeConfig(file: string): NodeConfig {
  const abs = path.resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(abs, 'utf8'));
  } catch (e) {
    throw new NodeConfigError([`cannot read JSON: ${(e as Error).message}`], abs);
  }
  return { ...parseNodeConfig(raw, path.dirname(abs)), file: abs };
}

/** Validates a configuration object; relative paths are resolved against `baseDir`. */
export function parseNodeConfig(raw: unknown, baseDir: string): NodeConfig {
  const p: string[] = [];
  if (!isObj(raw)) throw new NodeConfigError(['the configuration must be a JSON object']);
  const known = new Set(['node', 'listen', 'signing', 'trail', 'freshnessSeconds', 'maxBodyBytes', 'maxNonces', 'acceptUnboundRequests', 'consumers', 'consumersFile', 'sources', 'items', '$comment']);
  for (const k of Object.keys(raw)) if (!known.has(k)) p.push(`unknown key "${k}"`);
  const resolve = (f: string) => path.resolve(baseDir, f);

  const node = isObj(raw.node) ? raw.node : {};
  if (!str(node.id) || !FORMATS.node.test(node.id)) p.push('node.id is required ([A-Za-z0-9._-], ≤ 64)');
  if (!str(node.name)) p.push('node.name is required');

  const listen = isObj(raw.listen) ? raw.listen : {};
  const port = listen.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) p.push('listen.port must be an integer 0–65535 (0: any free port)');
  if (listen.host !== undefined && !str(listen.host)) p.push('listen.host must be a string');

  const signing = isObj(raw.signing) ? raw.signing : {};
  const suite = (signing.suite ?? 'SM2-SM3') as Suite;
  if (!SUITES.includes(suite)) p.push('signing.suite must be SM2-SM3 or Ed25519');
  if (!str(signing.keyFile)) p.push('signing.keyFile is required (created on first start when missing)');
  const maxBatch = signing.maxBatch ?? 64;
  if (typeof maxBatch !== 'number' || !Number.isInteger(maxBatch) || maxBatch < 1 || maxBatch > MAX_BATCH) p.push(`signing.maxBatch must be an integer 1–${MAX_BATCH}`);

  const trail = isObj(raw.trail) ? raw.trail : {};
  if (!str(trail.file)) p.push('trail.file is required');
  if (trail.fsync !== undefined && typeof trail.fsync !== 'boolean') p.push('trail.fsync must be true or false');
  const rotateBytes = trail.rotateBytes ?? 256 * 1024 * 1024;
  if (typeof rotateBytes !== 'number' || !Number.isInteger(rotateBytes) || rotateBytes < 0) p.push('trail.rotateBytes must be an integer ≥ 0 (0: never rotate)');
  if (trail.paramsKeyFile !== undefined && !str(trail.paramsKeyFile)) p.push('trail.paramsKeyFile must be a file name (default: trail-params.key next to the trail)');

  const freshness = raw.freshnessSeconds ?? 300;
  if (typeof freshness !== 'number' || !Number.isInteger(freshness) || freshness < 10 || freshness > 300) p.push('freshnessSeconds must be an integer 10–300');
  const maxBody = raw.maxBodyBytes ?? 16384;
  if (typeof maxBody !== 'number' || !Number.isInteger(maxBody) || maxBody < 256 || maxBody > 1 << 20) p.push('maxBodyBytes must be an integer 256–1048576');
  const maxNonces = raw.maxNonces ?? DEFAULT_MAX_NONCES;
  if (typeof maxNonces !== 'number' || !Number.isInteger(maxNonces) || maxNonces < 1 || maxNonces > MAX_NONCES_LIMIT) p.push(`maxNonces must be an integer 1–${MAX_NONCES_LIMIT} (default ${DEFAULT_MAX_NONCES})`);

  // sources
  const sources: Record<string, SourceConfig> = {};
  if (!isObj(raw.sources) || Object.keys(raw.sources).length === 0) p.push('sources: at least one data source is required');
  else {
    for (const [name, s] of Object.entries(raw.sources)) {
      if (!isObj(s)) { p.push(`sources.${name} must be an object`); continue; }
      if (s.noRecord !== undefined && ['sql', 'csv', 'xlsx'].includes(s.type as string)) p.push(`sources.${name}.noRecord applies to http sources only (a file or a query has no HTTP status)`);
      switch (s.type) {
        case 'sql':
          if (!str(s.url) === !str(s.pgliteDir)) p.push(`sources.${name}: give exactly one of url (postgres://…) or pgliteDir`);
          if (str(s.url) && !/^postgres(ql)?:\/\//.test(s.url)) p.push(`sources.${name}.url must start with postgres://`);
          sources[name] = { type: 'sql', ...(str(s.url) ? { url: s.url } : {}), ...(str(s.pgliteDir) ? { pgliteDir: resolve(s.pgliteDir) } : {}), ...(typeof s.poolSize === 'number' ? { poolSize: s.poolSize } : {}) };
          break;
        case 'csv':
          if (!str(s.file)) p.push(`sources.${name}.file is required`);
          else sources[name] = { type: 'csv', file: resolve(s.file) };
          break;
        case 'xlsx':
          if (!str(s.file)) p.push(`sources.${name}.file is required`);
          else sources[name] = { type: 'xlsx', file: resolve(s.file), ...(str(s.sheet) ? { sheet: s.sheet } : {}) };
          break;
        case 'http': {
          for (const k of Object.keys(s)) if (!HTTP_SOURCE_KEYS.has(k)) p.push(`sources.${name}: unknown key "${k}"`);
          const noRecord = s.noRecord === undefined ? undefined : parseNoRecord(s.noRecord, `sources.${name}.noRecord`, p);
          if (!str(s.baseUrl) || !/^https?:\/\//.test(s.baseUrl)) p.push(`sources.${name}.baseUrl must be an http(s) URL`);
          else sources[name] = { type: 'http', baseUrl: s.baseUrl.replace(/\/+$/, ''), ...(typeof s.timeoutMs === 'number' ? { timeoutMs: s.timeoutMs } : {}), ...(isObj(s.headers) ? { headers: s.headers as Record<string, string> } : {}), ...(noRecord ? { noRecord } : {}) };
          if (s.timeoutMs !== undefined && (typeof s.timeoutMs !== 'number' || !Number.isInteger(s.timeoutMs) || s.timeoutMs < 100 || s.timeoutMs > 60_000)) p.push(`sources.${name}.timeoutMs must be an integer 100–60000 (milliseconds)`);
          if (s.headers !== undefined && (!isObj(s.headers) || Object.values(s.headers).some((v) => typeof v !== 'string'))) p.push(`sources.${name}.headers must map header names to strings`);
          break;
        }
        default:
          p.push(`sources.${name}.type must be sql, csv, xlsx or http`);
      }
    }
  }

  // items
  const items: ItemConfig[] = [];
  if (!Array.isArray(raw.items) || raw.items.length === 0) p.push('items: at least one data item is required');
  else {
    const codes = new Set<string>();
    raw.items.forEach((it: unknown, i: number) => {
      const where = `items[${i}]`;
      if (!isObj(it)) { p.push(`${where} must be an object`); return; }
      const { source, query, args, match, lastMonths, path: urlPath, rowsPath, absentAsNull, fields, asOf, whenMissing, noRecord, ...definition } = it;
      const defProblems = checkItemDefinition(definition);
      for (const d of defProblems) p.push(`${where}: ${d}`);
      if (defProblems.length) return;
      const def = definition as unknown as ItemDefinition;
      const at = `items[${i}] (${def.code})`;
      if (codes.has(def.code)) p.push(`${at}: code is used twice`);
      codes.add(def.code);
      const src = str(source) ? sources[source] : undefined;
      if (!src) { p.push(`${at}: source must name one of the sources`); return; }
      if (noRecord !== undefined) p.push(`${at}: noRecord belongs to the http source (sources.${source as string}.noRecord), not to an item`);
      const paramNames = new Set(def.params.map((x) => x.name));
      if (src.type === 'sql') {
        if (!str(query)) p.push(`${at}: a sql source needs query`);
        if (!Array.isArray(args) || args.some((a) => !paramNames.has(a))) p.push(`${at}: args must list parameter names`);
        else if (str(query)) {
          // every $n the query uses is bound, and every bound argument is used: a miscount fails every query at run time
          const used = new Set([...query.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
          const highest = Math.max(0, ...used);
          if (highest !== args.length || used.size !== args.length) p.push(`${at}: query uses ${[...used].sort((a, b) => a - b).map((n) => `$${n}`).join(', ') || 'no placeholders'} but args binds ${args.length} (${args.join(', ')}): they must match one to one`);
        }
      }
      if (src.type === 'csv' || src.type === 'xlsx') {
        if (!isObj(match) || Object.keys(match).length === 0 || Object.values(match).some((v) => !paramNames.has(v as string))) p.push(`${at}: match must map columns to parameter names`);
        if (lastMonths !== undefined && (!isObj(lastMonths) || !str(lastMonths.column) || !paramNames.has(lastMonths.param as string))) p.push(`${at}: lastMonths needs column and a parameter name`);
      }
      if (src.type === 'http') {
        if (!str(urlPath) || !urlPath.startsWith('/')) p.push(`${at}: an http source needs path (starting with /)`);
        else for (const m of urlPath.matchAll(/\{(\w+)\}/g)) if (!paramNames.has(m[1]!)) p.push(`${at}: path uses unknown parameter ${m[1]}`);
      }
      if (!isObj(fields)) { p.push(`${at}: fields must map every answer field to a rule`); return; }
      for (const f of def.answer) if (!fields[f.name]) p.push(`${at}: fields.${f.name} is missing`);
      for (const [name, rule] of Object.entries(fields)) {
        if (!def.answer.some((f) => f.name === name)) p.push(`${at}: fields.${name} is not an answer field`);
        if (!isObj(rule) || !(str(rule.column) || rule.exists === true)) p.push(`${at}: fields.${name} needs column or exists`);
        else if (rule.in !== undefined && !Array.isArray(rule.in)) p.push(`${at}: fields.${name}.in must be a list`);
      }
      if (!(asOf === 'source' || (isObj(asOf) && (str(asOf.column) || (str(asOf.query) && src.type === 'sql'))))) p.push(`${at}: asOf must be "source", { "column": … } or (sql) { "query": … }`);
      if (absentAsNull !== undefined) {
        if (src.type !== 'http') p.push(`${at}: absentAsNull applies to http sources only (a file or query has every column in every row)`);
        else if (!Array.isArray(absentAsNull) || absentAsNull.some((c) => !str(c))) p.push(`${at}: absentAsNull must list column names`);
        else {
          const copied = new Set(Object.values(fields).flatMap((r) => (isObj(r) && str(r.column) && r.in === undefined ? [r.column] : [])));
          const derived = new Set(Object.values(fields).flatMap((r) => (isObj(r) && str(r.column) && r.in !== undefined ? [r.column] : [])));
          if (isObj(asOf) && str(asOf.column)) derived.add(asOf.column);
          for (const c of absentAsNull as string[]) {
            if (derived.has(c)) p.push(`${at}: absentAsNull.${c}: a yes/no or the as-of time is derived from it — absent must not read as null there`);
            else if (!copied.has(c)) p.push(`${at}: absentAsNull.${c} is not a column of the item's fields`);
          }
        }
      }
      if (whenMissing !== undefined && whenMissing !== 'not_found' && !isObj(whenMissing)) p.push(`${at}: whenMissing must be "not_found" or a fixed answer`);
      if (isObj(whenMissing)) for (const k of Object.keys(whenMissing)) if (!def.answer.some((f) => f.name === k)) p.push(`${at}: whenMissing.${k} is not an answer field`);
      items.push({
        definition: def,
        binding: {
          source: source as string, fields: fields as Record<string, FieldRule>, asOf: asOf as AsOfRule,
          ...(str(query) ? { query } : {}), ...(Array.isArray(args) ? { args: args as string[] } : {}), ...(isObj(match) ? { match: match as Record<string, string> } : {}),
          ...(isObj(lastMonths) ? { lastMonths: lastMonths as { column: string; param: string } } : {}), ...(str(urlPath) ? { path: urlPath } : {}),
          ...(str(rowsPath) ? { rowsPath } : {}), ...(Array.isArray(absentAsNull) ? { absentAsNull: absentAsNull as string[] } : {}), ...(whenMissing !== undefined ? { whenMissing: whenMissing as ItemBinding['whenMissing'] } : {}),
        },
      });
    });
  }

  // consumers
  let consumersRaw: unknown = raw.consumers;
  if (str(raw.consumersFile)) {
    try {
      consumersRaw = JSON.parse(fs.readFileSync(resolve(raw.consumersFile), 'utf8'));
      if (isObj(consumersRaw) && Array.isArray(consumersRaw.consumers)) consumersRaw = consumersRaw.consumers;
    } catch (e) {
      p.push(`consumersFile: ${(e as Error).message}`);
    }
  }
  const consumers: ConsumerConfig[] = [];
  if (!Array.isArray(consumersRaw)) p.push('consumers (or consumersFile) must list the consumers allowed to query');
  else {
    const ids = new Set<string>();
    consumersRaw.forEach((c: unknown, i: number) => {
      const where = `consumers[${i}]`;
      if (!isObj(c) || !str(c.id) || !FORMATS.consumer.test(c.id)) { p.push(`${where}.id is required`); return; }
      if (ids.has(c.id)) p.push(`${where}: consumer ${c.id} is listed twice`);
      ids.add(c.id);
      const keys: ConsumerKey[] = [];
      if (!Array.isArray(c.keys)) p.push(`${where}.keys must be a list`);
      else for (const k of c.keys as unknown[]) {
        if (!isObj(k) || !str(k.keyId) || !FORMATS.keyId.test(k.keyId) || !SUITES.includes(k.suite as Suite) || !str(k.publicKey) || !/^[0-9a-fA-F]+$/.test(k.publicKey)) { p.push(`${where}: each key needs keyId, suite and publicKey (hex)`); continue; }
        const len = k.publicKey.length / 2;
        if ((k.suite === 'SM2-SM3' && len !== 65) || (k.suite === 'Ed25519' && len !== 32)) p.push(`${where}: key ${k.keyId} has the wrong length for ${k.suite}`);
        keys.push({ keyId: k.keyId, suite: k.suite as Suite, publicKey: k.publicKey.toLowerCase() });
      }
      const allow: ConsumerConfig['allow'] = [];
      if (!Array.isArray(c.allow)) p.push(`${where}.allow must be a list`);
      else for (const a of c.allow as unknown[]) {
        if (!isObj(a) || !str(a.item) || !Array.isArray(a.purposes)) { p.push(`${where}: each allow entry needs item and purposes`); continue; }
        if (!items.some((it) => it.definition.code === a.item)) p.push(`${where}: allows unknown item ${a.item}`);
        for (const pc of a.purposes as unknown[]) if (!Object.hasOwn(PURPOSES, pc as string)) p.push(`${where}: unknown purpose ${String(pc)}`);
        allow.push({ item: a.item, purposes: a.purposes as string[] });
      }
      consumers.push({ id: c.id, name: str(c.name) ? c.name : c.id, keys, allow });
    });
  }

  if (raw.acceptUnboundRequests !== undefined && typeof raw.acceptUnboundRequests !== 'boolean') p.push('acceptUnboundRequests must be true or false (default false)');
  if (p.length) throw new NodeConfigError(p);
  return {
    node: { id: node.id as string, name: node.name as string, ...(str(node.department) ? { department: node.department } : {}) },
    listen: { host: str(listen.host) ? listen.host : '127.0.0.1', port: port as number },
    signing: { suite, keyFile: resolve(signing.keyFile as string), maxBatch: maxBatch as number },
    trail: {
      file: resolve(trail.file as string), fsync: trail.fsync !== false, rotateBytes: rotateBytes as number,
      paramsKeyFile: str(trail.paramsKeyFile) ? resolve(trail.paramsKeyFile) : path.join(path.dirname(resolve(trail.file as string)), 'trail-params.key'),
    },
    freshnessMs: (freshness as number) * 1000,
    maxBodyBytes: maxBody as number,
    maxNonces: maxNonces as number,
    acceptUnboundRequests: raw.acceptUnboundRequests === true,
    consumers, sources, items,
  };
}
