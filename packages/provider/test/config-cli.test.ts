import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { NodeConfigError, parseNodeConfig } from '../src/node/config.ts';
import { STANDARD_ITEMS } from '../src/protocol/standard-items.ts';
import { marriageNodeConfig, MARRIED, newConsumer, sendQuery, SINGLE, tmpDir } from './support.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/provider.mjs');

describe('node configuration', () => {
  it('names every problem at once', () => {
    let err: NodeConfigError | undefined;
    try {
      parseNodeConfig({
        node: { id: 'bad id!' }, listen: { port: 99999 }, signing: { suite: 'RSA' }, trail: {}, surprise: true,
        sources: { a: { type: 'ftp' } },
        items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'nowhere', fields: {}, asOf: 'yesterday' }],
        consumers: [{ id: 'mas-ga', keys: [{ keyId: 'k', suite: 'SM2-SM3', publicKey: 'abcd' }], allow: [{ item: 'x', purposes: ['marketing'] }] }],
      }, '/tmp');
    } catch (e) {
      err = e as NodeConfigError;
    }
    expect(err).toBeInstanceOf(NodeConfigError);
    expect(err!.problems).toEqual(expect.arrayContaining([
      'unknown key "surprise"', 'node.id is required ([A-Za-z0-9._-], ≤ 64)', 'node.name is required', 'listen.port must be an integer 0–65535 (0: any free port)',
      'signing.suite must be SM2-SM3 or Ed25519', 'signing.keyFile is required (created on first start when missing)', 'trail.file is required',
      'sources.a.type must be sql, csv, xlsx or http', 'items[0] (marriage-status): source must name one of the sources',
      'consumers[0]: key k has the wrong length for SM2-SM3', 'consumers[0]: allows unknown item x', 'consumers[0]: unknown purpose marketing',
    ]));
  });

  it('refuses a SQL query whose $n placeholders do not match args, and an HTTP source with an unusable timeout or headers', () => {
    const problems = (sources: Record<string, unknown>, items: unknown[]) => {
      try {
        parseNodeConfig({ node: { id: 'n', name: 'n' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './k.json' }, trail: { file: './t.jsonl' }, sources, items, consumers: [] }, '/tmp');
        return [];
      } catch (e) {
        return (e as NodeConfigError).problems;
      }
    };
    const sql = { type: 'sql', url: 'postgres://x@127.0.0.1/db' };
    const item = (query: string, args: string[]) => ({ ...STANDARD_ITEMS.marriageStatus, source: 'db', query, args, fields: { married: { column: 'married' } }, asOf: 'source' });
    expect(problems({ db: sql }, [item('SELECT married FROM m WHERE id = $1', ['idNumber'])])).toEqual([]);
    expect(problems({ db: sql }, [item('SELECT married FROM m WHERE id = $1 AND region = $2', ['idNumber'])]).join('\n')).toContain('query uses $1, $2 but args binds 1');
    expect(problems({ db: sql }, [item('SELECT married FROM m WHERE id = $2', ['idNumber'])]).join('\n')).toContain('query uses $2 but args binds 1');
    expect(problems({ db: sql }, [item("SELECT married FROM m WHERE id = 'fixed'", ['idNumber'])]).join('\n')).toContain('no placeholders');
    const http = (extra: Record<string, unknown>) => problems({ legacy: { type: 'http', baseUrl: 'http://127.0.0.1:1', ...extra } }, []);
    expect(http({ timeoutMs: 3000, headers: { authorization: 'Bearer x' } }).filter((x) => x.startsWith('sources.legacy'))).toEqual([]);
    expect(http({ timeoutMs: 0 })).toContain('sources.legacy.timeoutMs must be an integer 100–60000 (milliseconds)');
    expect(http({ timeoutMs: -5 })).toContain('sources.legacy.timeoutMs must be an integer 100–60000 (milliseconds)');
    expect(http({ headers: { 'x-key': 42 } })).toContain('sources.legacy.headers must map header names to strings');
  });

  it('maxNonces (replay protection held at most) defaults to 2,000,000 and must be a positive integer within the limit', () => {
    const dir = tmpDir();
    const c = newConsumer();
    expect(marriageNodeConfig(dir, [c]).maxNonces).toBe(2_000_000);
    expect(marriageNodeConfig(dir, [c], { maxNonces: 50_000 }).maxNonces).toBe(50_000);
    for (const bad of [0, -1, 1.5, '100', 16_000_001]) {
      expect(() => marriageNodeConfig(dir, [c], { maxNonces: bad }), String(bad)).toThrow(/maxNonces must be an integer 1–16000000/);
    }
  });

  it('absentAsNull: http sources only, and only columns copied into an answer field — never one a yes/no or the as-of time comes from', () => {
    const problems = (source: Record<string, unknown>, binding: Record<string, unknown>) => {
      try {
        parseNodeConfig({
          node: { id: 'n', name: 'n' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './k.json' }, trail: { file: './t.jsonl' },
          sources: { s: source }, items: [{ ...STANDARD_ITEMS.enterpriseTaxStatus, source: 's', ...binding }], consumers: [],
        }, '/tmp');
        return [];
      } catch (e) {
        return (e as NodeConfigError).problems;
      }
    };
    const http = { type: 'http', baseUrl: 'http://127.0.0.1:1' };
    const binding = (absentAsNull: unknown) => ({
      path: '/tax/{uscc}', fields: { noArrears: { column: 'arrears_amount', in: [0] }, taxpayerStatus: { column: 'status' } }, asOf: { column: 'updated_at' }, absentAsNull,
    });
    expect(problems(http, binding(['status']))).toEqual([]);
    expect(problems(http, binding(['arrears_amount']))).toEqual(['items[0] (enterprise-tax-status): absentAsNull.arrears_amount: a yes/no or the as-of time is derived from it — absent must not read as null there']);
    expect(problems(http, binding(['updated_at']))[0]).toMatch(/absentAsNull\.updated_at: a yes\/no or the as-of time/);
    expect(problems(http, binding(['statsu']))).toEqual(['items[0] (enterprise-tax-status): absentAsNull.statsu is not a column of the item\'s fields']);
    expect(problems(http, binding('status'))).toEqual(['items[0] (enterprise-tax-status): absentAsNull must list column names']);
    expect(problems({ type: 'csv', file: './t.csv' }, { ...binding(['status']), path: undefined, match: { uscc: 'uscc' } })).toEqual(['items[0] (enterprise-tax-status): absentAsNull applies to http sources only (a file or query has every column in every row)']);
  });

  it('noRecord (the marker of an http backend\'s no-record answer) is checked at load: status, a non-empty body of plain values, known keys, on an http source', () => {
    const parse = (sources: Record<string, unknown>, item: Record<string, unknown> = {}) => parseNodeConfig({
      node: { id: 'n', name: 'n' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './k.json' }, trail: { file: './t.jsonl' }, sources,
      items: [{ ...STANDARD_ITEMS.ownsProperty, source: Object.keys(sources)[0], path: '/bdc/{idNumber}', fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false }, ...item }], consumers: [],
    }, '/tmp');
    const problems = (sources: Record<string, unknown>, item?: Record<string, unknown>) => {
      try {
        parse(sources, item);
        return [];
      } catch (e) {
        return (e as NodeConfigError).problems;
      }
    };
    const http = (extra: Record<string, unknown>) => problems({ legacy: { type: 'http', baseUrl: 'http://127.0.0.1:1', ...extra } });
    // accepted: the status defaults to 404
    expect(parse({ legacy: { type: 'http', baseUrl: 'http://127.0.0.1:1/', noRecord: { body: { code: 'NO_RECORD' } } } }).sources.legacy)
      .toEqual({ type: 'http', baseUrl: 'http://127.0.0.1:1', noRecord: { status: 404, body: { code: 'NO_RECORD' } } });
    expect(http({ noRecord: { status: 200, body: { 'result.code': 1004, success: false, detail: null } } })).toEqual([]);
    expect(parse({ legacy: { type: 'http', baseUrl: 'http://127.0.0.1:1' } }).sources.legacy).toEqual({ type: 'http', baseUrl: 'http://127.0.0.1:1' });

    expect(http({ noRecord: 'NO_RECORD' })).toEqual(['sources.legacy.noRecord must be an object, e.g. { "status": 404, "body": { "code": "NO_RECORD" } }: what the backend answers for "no such record"']);
    for (const status of [500, 302, 99, '404', 404.5]) expect(http({ noRecord: { status, body: { code: 'NO_RECORD' } } }), String(status)).toEqual(['sources.legacy.noRecord.status must be an HTTP status 200–299 or 400–499 (default 404)']);
    const bodyRequired = 'sources.legacy.noRecord.body must name at least one member of the backend\'s no-record answer and its value, e.g. { "code": "NO_RECORD" }: a status alone cannot tell "no such record" from "no such path"';
    expect(http({ noRecord: { status: 404 } })).toEqual([bodyRequired]);
    expect(http({ noRecord: { status: 404, body: {} } })).toEqual([bodyRequired]);
    expect(http({ noRecord: { body: ['code', 'NO_RECORD'] } })).toEqual([bodyRequired]);
    expect(http({ noRecord: { body: { code: { value: 'NO_RECORD' } } } })).toEqual(['sources.legacy.noRecord.body.code must be a string, number, boolean or null (a nested member is named with dots: "error.code")']);
    expect(http({ noRecord: { body: { 'error..code': 'X' } } })).toEqual(['sources.legacy.noRecord.body: "error..code" is not a member name (a nested member is named with dots: "error.code")']);
    expect(http({ noRecord: { body: { code: 'NO_RECORD' }, bodyMatch: true } })).toEqual(['sources.legacy.noRecord: unknown key "bodyMatch"']);
    // a misspelt key must not silently leave every 404 as "no record"
    expect(http({ noRecrod: { body: { code: 'NO_RECORD' } } })).toEqual(['sources.legacy: unknown key "noRecrod"']);
    expect(http({ $comment: '税务核心征管系统' })).toEqual([]);
    expect(problems({ book: { type: 'csv', file: './book.csv', noRecord: { body: { code: 'NO_RECORD' } } } }, { path: undefined, match: { id_number: 'idNumber' } }))
      .toEqual(['sources.book.noRecord applies to http sources only (a file or a query has no HTTP status)']);
    // on the item instead of the source: it would be ignored there
    expect(problems({ legacy: { type: 'http', baseUrl: 'http://127.0.0.1:1' } }, { noRecord: { body: { code: 'NO_RECORD' } } }))
      .toEqual(['items[0] (owns-property): noRecord belongs to the http source (sources.legacy.noRecord), not to an item']);
  });

  it('reads consumers from a separate file (the one the platform exports)', () => {
    const dir = tmpDir();
    const c = newConsumer();
    const cfg = marriageNodeConfig(dir, [c]);
    fs.writeFileSync(path.join(dir, 'consumers.json'), JSON.stringify({ node: 'node-test-mz', consumers: cfg.consumers }));
    const raw = { node: cfg.node, listen: cfg.listen, signing: { suite: 'Ed25519', keyFile: './k.json' }, trail: { file: './t.jsonl' }, sources: { registry: { type: 'csv', file: './marriage.csv' } }, items: [{ ...cfg.items[0]!.definition, ...cfg.items[0]!.binding }], consumersFile: './consumers.json' };
    expect(parseNodeConfig(raw, dir).consumers).toEqual(cfg.consumers);
  });
});

describe('the provider CLI', () => {
  it('--check validates the configuration and creates the node key; a broken configuration exits 2', () => {
    const dir = tmpDir();
    const c = newConsumer();
    marriageNodeConfig(dir, [c]); // writes marriage.csv
    const file = path.join(dir, 'node.json');
    fs.writeFileSync(file, JSON.stringify({
      node: { id: 'node-cli', name: 'CLI 测试节点' }, listen: { port: 0 }, signing: { suite: 'SM2-SM3', keyFile: './node-key.json' }, trail: { file: './trail.jsonl' },
      sources: { registry: { type: 'csv', file: './marriage.csv' } },
      items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'registry', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }],
      consumers: [{ id: c.id, name: c.id, keys: [{ keyId: c.keyId, suite: c.suite, publicKey: c.publicKey }], allow: [{ item: 'marriage-status', purposes: ['application_review'] }] }],
    }));
    const ok = spawnSync(process.execPath, [BIN, '--config', file, '--check'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const out = JSON.parse(ok.stdout);
    expect(out).toMatchObject({ ok: true, node: 'node-cli', items: ['marriage-status'], key: { suite: 'SM2-SM3', created: true } });
    expect(fs.statSync(path.join(dir, 'node-key.json')).mode & 0o777).toBe(0o600);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"node": {}}');
    const bad = spawnSync(process.execPath, [BIN, '--config', path.join(dir, 'bad.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('node.id is required');
    expect(spawnSync(process.execPath, [BIN], { encoding: 'utf8' }).status).toBe(2);
  });

  it('--check prints every warning the node logs at start, the same lines (an http source without noRecord), and exits 0', async () => {
    const dir = tmpDir();
    const c = newConsumer();
    const write = (name: string, legacy: Record<string, unknown>) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify({
        node: { id: 'node-cli-warn', name: '告警测试节点' }, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './node-key.json' }, trail: { file: `./${name}.trail.jsonl` },
        // port 1: nothing answers there, and neither --check nor a start asks the backend anything
        sources: { legacy: { type: 'http', baseUrl: 'http://127.0.0.1:1', ...legacy } },
        items: [{ ...STANDARD_ITEMS.ownsProperty, source: 'legacy', path: '/bdc/{idNumber}', fields: { ownsProperty: { exists: true } }, asOf: 'source', whenMissing: { ownsProperty: false } }],
        consumers: [{ id: c.id, name: c.id, keys: [{ keyId: c.keyId, suite: c.suite, publicKey: c.publicKey }], allow: [{ item: 'owns-property', purposes: ['application_review'] }] }],
      }));
      return file;
    };
    const warningLines = (stderr: string) => stderr.split('\n').filter((l) => l.includes('warning:'));
    const file = write('node.json', {});
    const check = spawnSync(process.execPath, [BIN, '--config', file, '--check'], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
    const out = JSON.parse(check.stdout) as { ok: boolean; warnings: string[] };
    expect(out.ok).toBe(true);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/^source legacy: no noRecord — an HTTP 404 from the backend is source_unavailable, never "no record".*sources\.legacy\.noRecord/);
    const printed = warningLines(check.stderr);
    expect(printed).toEqual([`[node-cli-warn] warning: ${out.warnings[0]}`]);

    // the node started on the same file logs exactly these warning lines (stderr, before it listens)
    const child = spawn(process.execPath, [BIN, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect(JSON.parse(line)).toMatchObject({ event: 'listening', node: 'node-cli-warn' });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(warningLines(stderr)).toEqual(printed);

    // with the marker there is nothing to warn about, before or at start
    const marked = spawnSync(process.execPath, [BIN, '--config', write('marked.json', { noRecord: { body: { code: 'NO_RECORD' } } }), '--check'], { encoding: 'utf8' });
    expect(marked.status, marked.stderr).toBe(0);
    expect(JSON.parse(marked.stdout).warnings).toEqual([]);
    expect(warningLines(marked.stderr)).toEqual([]);
  });

  it('runs the node until SIGTERM, answers, then verify-trail finds the trail intact', async () => {
    const dir = tmpDir();
    const c = newConsumer();
    const cfg = marriageNodeConfig(dir, [c]);
    const file = path.join(dir, 'node.json');
    fs.writeFileSync(file, JSON.stringify({
      node: cfg.node, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './node-key.json' }, trail: { file: './trail.jsonl' },
      sources: { registry: { type: 'csv', file: './marriage.csv' } },
      items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'registry', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }],
      consumers: cfg.consumers,
    }));
    const child = spawn(process.execPath, [BIN, 'provider', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const listening = JSON.parse(line) as { event: string; url: string; node: string };
    expect(listening).toMatchObject({ event: 'listening', node: 'node-test-mz' });
    const r = await sendQuery(listening.url, c, { params: { idNumber: MARRIED } });
    expect(r.json.answer).toEqual({ married: true });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const verify = spawnSync(process.execPath, [BIN, 'verify-trail', '--config', file], { encoding: 'utf8' });
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain('trail intact: 1 entries');
    // the department answers "who asked about this person?" from its own trail, which holds only keyed digests
    const find = (params: string) => spawnSync(process.execPath, [BIN, 'trail-find', '--config', file, '--item', 'marriage-status', '--params', params], { encoding: 'utf8' });
    const hit = find(JSON.stringify({ idNumber: MARRIED }));
    expect(hit.status).toBe(0);
    const lines = hit.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ seq: 1, consumer: c.id, purpose: 'application_review', application: 'BJ-2026-000001', outcome: 'answered' })]);
    expect(hit.stderr).toContain('1 entry');
    expect(find(JSON.stringify({ idNumber: SINGLE })).stdout.trim()).toBe('');
    expect(find('{"idNumber":"123"}').status).toBe(2); // parameters are validated as the item defines them
    expect(spawnSync(process.execPath, [BIN, 'trail-find', '--config', file, '--item', 'nothing', '--params', '{}'], { encoding: 'utf8' }).status).toBe(2);
  });

  it('SIGHUP applies a new consumer list without a restart; a broken file keeps the running list', async () => {
    const dir = tmpDir();
    const known = newConsumer('mas-ga');
    const newcomer = newConsumer('mas-wj');
    const cfg = marriageNodeConfig(dir, [known, newcomer]);
    const consumersFile = path.join(dir, 'consumers.json');
    const writeConsumers = (ids: string[]) => fs.writeFileSync(consumersFile, JSON.stringify({ node: 'node-test-mz', consumers: cfg.consumers.filter((c) => ids.includes(c.id)) }));
    writeConsumers(['mas-ga']);
    const file = path.join(dir, 'node.json');
    fs.writeFileSync(file, JSON.stringify({
      node: cfg.node, listen: { port: 0 }, signing: { suite: 'Ed25519', keyFile: './node-key.json' }, trail: { file: './trail.jsonl' },
      sources: { registry: { type: 'csv', file: './marriage.csv' } },
      items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'registry', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }],
      consumersFile: './consumers.json',
    }));
    const child = spawn(process.execPath, [BIN, 'provider', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<Record<string, unknown>> = [];
    const waiters: Array<(l: Record<string, unknown>) => void> = [];
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      const parsed = JSON.parse(l) as Record<string, unknown>;
      lines.push(parsed);
      waiters.shift()?.(parsed);
    });
    const next = () => new Promise<Record<string, unknown>>((resolve) => waiters.push(resolve));
    try {
      const listening = await next();
      const url = listening.url as string;
      expect((await sendQuery(url, newcomer, {})).json.error.reason).toBe('unknown_consumer');
      writeConsumers(['mas-ga', 'mas-wj']);
      child.kill('SIGHUP');
      expect(await next()).toEqual({ event: 'reloaded', node: 'node-test-mz', consumers: ['mas-ga', 'mas-wj'] });
      expect((await sendQuery(url, newcomer, {})).status).toBe(200);
      fs.writeFileSync(consumersFile, '{ not json');
      child.kill('SIGHUP');
      expect(await next()).toMatchObject({ event: 'reload_failed', node: 'node-test-mz' });
      expect((await sendQuery(url, newcomer, {})).status).toBe(200); // still the last good list
      expect((await sendQuery(url, known, {})).status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
