/**
 * A stand-in for a department's existing system with a JSON API (税务 and 教育 in the
 * samples): the provider node's HTTP adapter reads from it. It states the as-of time of
 * its data in `x-data-as-of`. `delayMs` makes it slow, for resilience tests.
 *
 * Like many such systems it answers 404 both for "no such taxpayer / person / student" and
 * for "no such endpoint". Its no-record 404s carry `{ "code": "NO_RECORD" }` (NO_RECORD_BODY,
 * the sample nodes' `noRecord` marker); the endpoint one does not, so a wrong path is
 * source_unavailable on a node that checks the marker, not "no record".
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { windowStartMonth } from '../sources/source.ts';

export interface LegacyBackend {
  url: string;
  port: number;
  setDelay(ms: number): void;
  /** called when a request arrives (tests use it to kill a node mid-query) */
  onRequest(fn: (() => void) | undefined): void;
  close(): Promise<void>;
}

/** The member that tells this backend's "no such record" 404 from its "no such endpoint" 404. */
export const NO_RECORD_BODY = { code: 'NO_RECORD' } as const;

interface TaxData { asOf: string; taxpayers: Array<Record<string, unknown> & { uscc: string }>; payments: Array<Record<string, unknown> & { id_number: string; period: string }> }
interface EduData { asOf: string; students: Array<Record<string, unknown> & { id_number: string }> }

export async function startLegacyBackend(options: { dir: string; host?: string; port?: number; delayMs?: number }): Promise<LegacyBackend> {
  const tax = JSON.parse(fs.readFileSync(path.join(options.dir, 'tax.json'), 'utf8')) as TaxData;
  const edu = JSON.parse(fs.readFileSync(path.join(options.dir, 'education.json'), 'utf8')) as EduData;
  const taxpayers = new Map(tax.taxpayers.map((t) => [t.uscc, t]));
  const payments = new Map<string, TaxData['payments']>();
  for (const p of tax.payments) {
    let list = payments.get(p.id_number);
    if (!list) payments.set(p.id_number, (list = []));
    list.push(p);
  }
  const students = new Map(edu.students.map((s) => [s.id_number, s]));
  let delay = options.delayMs ?? 0;
  let hook: (() => void) | undefined;

  const server = http.createServer((req, res) => {
    hook?.();
    const reply = (status: number, body: unknown, asOf?: string) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(asOf ? { 'x-data-as-of': asOf } : {}) });
      res.end(text);
    };
    const answer = () => {
      const url = new URL(req.url ?? '/', 'http://backend');
      let m = /^\/tax\/taxpayers\/([^/]+)$/.exec(url.pathname);
      if (m) {
        const t = taxpayers.get(decodeURIComponent(m[1]!));
        return t ? reply(200, t, tax.asOf) : reply(404, { ...NO_RECORD_BODY, message: 'no such taxpayer' }, tax.asOf);
      }
      m = /^\/tax\/persons\/([^/]+)\/payments$/.exec(url.pathname);
      if (m) {
        const all = payments.get(decodeURIComponent(m[1]!));
        if (!all) return reply(404, { ...NO_RECORD_BODY, message: 'no such person' }, tax.asOf);
        const months = Number(url.searchParams.get('months') ?? '12');
        const from = windowStartMonth(new Date(), months);
        return reply(200, { payments: all.filter((p) => p.period >= from) }, tax.asOf);
      }
      m = /^\/edu\/students\/([^/]+)\/highest-degree$/.exec(url.pathname);
      if (m) {
        const s = students.get(decodeURIComponent(m[1]!));
        return s ? reply(200, s, edu.asOf) : reply(404, { ...NO_RECORD_BODY, message: 'no such student' }, edu.asOf);
      }
      reply(404, { message: 'no such endpoint' }); // not NO_RECORD: a wrong path is not "no record"
    };
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    setDelay: (ms) => { delay = ms; },
    onRequest: (fn) => { hook = fn; },
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
