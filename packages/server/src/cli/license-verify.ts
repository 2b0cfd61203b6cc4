import fs from 'node:fs';
import path from 'node:path';
import { parseKeyCache, parseStatusCache, verifyOffline, type KeyCache, type StatusCache } from '../licenses/use-cases/verify-license-offline.ts';
import { parseArgs, UsageError, type CliCommand } from './command.ts';

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read ${what} file ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${what} file ${file} is not JSON`);
  }
}

/** `mianzheng license verify <file>`: offline, with a cached key set and status list; never touches the network. */
export const command: CliCommand = {
  name: 'license verify',
  summary: 'Verify a license document (or a presentation) offline with cached issuer keys and status lists',
  usage: 'license verify <file|-> [--keys keys.json] [--status status.json] [--cache dir] [--now ISO-time] [--json] [--en]',
  async run(args, io) {
    const { positional, values, flags } = parseArgs(args, { values: ['keys', 'status', 'cache', 'now'], flags: ['json', 'en'] });
    if (positional.length !== 1) throw new UsageError('give one file (a license .json, or a presentation text; "-" reads stdin)');
    const file = positional[0]!;
    const input = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    const keysFile = values.keys ?? (values.cache ? path.join(values.cache, 'keys.json') : undefined);
    const statusFile = values.status ?? (values.cache ? path.join(values.cache, 'status.json') : undefined);
    const keys: KeyCache | undefined = keysFile ? parseKeyCache(readJson(keysFile, 'keys')) : undefined;
    const status: StatusCache | undefined = statusFile ? parseStatusCache(readJson(statusFile, 'status')) : undefined;
    const now = values.now ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new UsageError('--now must be an ISO 8601 time');
    const result = verifyOffline(input.trim().startsWith('{') ? input : input.trim(), { keys, status }, now);
    if (flags.has('json')) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      const en = flags.has('en');
      if (result.license) io.out(`${result.license.licenseType.name} ${result.license.identifier}\n${en ? 'Issuer' : '颁发机构'}: ${result.license.issuer.name} (${result.license.issuer.code})`);
      for (const c of result.checks) io.out(`  ${c.ok ? '✔' : '✘'} ${c.name.padEnd(22)} ${en ? c.detailEn : c.detail}`);
      if (result.claims) for (const [k, v] of Object.entries(result.claims)) io.out(`    ${k}: ${String(v)}`);
      io.out(result.verified ? (en ? 'VERIFIED' : '核验通过 VERIFIED') : `${en ? 'NOT VERIFIED' : '核验未通过 NOT VERIFIED'}: ${result.errors.map((e) => e.code).join(', ')}`);
      if (!keys) io.err('note: no --keys/--cache given; issuer keys are unknown offline');
    }
    return result.verified ? 0 : 1;
  },
};
