/// <reference path="../types/sm-crypto.d.ts" />
/**
 * SM2 sign/verify throughput: our native (OpenSSL addon) and pure-TS paths, sm-crypto,
 * sm-crypto-v2, with node:crypto Ed25519 as the native reference. Single thread.
 *
 *   npx tsx packages/crypto/bench/sm2.ts [--duration=500] [--rounds=3]
 *
 * Reuse: `const rows = await runSm2Bench({ durationMs })` then `formatSm2Bench(rows)`.
 */
import { pathToFileURL } from 'node:url';
import smCrypto from 'sm-crypto';
import { sm2 as smV2 } from 'sm-crypto-v2';
import { ed25519GenerateKeyPair, ed25519Sign, ed25519Verify } from '../src/ed25519.js';
import { sm2GenerateKeyPair, sm2Ts } from '../src/sm2.js';
import { findNativeSm2, nativeSm2Status } from '../src/sm2-native.js';
import type { Sm2Implementation } from '../src/types.js';

export interface Row {
  name: string;
  /** Distinct public keys cycled through (the native path caches up to 64 imported keys). */
  keys: number;
  signPerSec: number;
  verifyPerSec: number;
  /** verify/s divided by sm-crypto-v2's verify/s. */
  verifyVsSmCryptoV2: number;
  /** verify/s as a fraction of node:crypto Ed25519 verify/s. */
  verifyVsEd25519: number;
}

export interface Sm2BenchOptions {
  /** Time budget per operation per implementation per round (default 500 ms). */
  durationMs?: number;
  /** Rounds, interleaved across implementations; the best round counts (default 3). Damps noise from other load. */
  rounds?: number;
  /** Message size in bytes (default 512, about a canonicalised license). */
  messageBytes?: number;
}

interface Candidate {
  name: string;
  keys: number;
  /** Returns closures over prepared keys; verify must return true or the run aborts. */
  prepare(message: Uint8Array): { sign(i: number): unknown; verify(i: number): boolean };
}

function measure(durationMs: number, op: (i: number) => unknown): number {
  const warmUpEnd = performance.now() + Math.min(200, durationMs / 5);
  let i = 0;
  while (performance.now() < warmUpEnd) op(i++);
  const start = performance.now();
  let count = 0;
  let now = start;
  while (now - start < durationMs) {
    op(count++);
    now = performance.now();
  }
  return count / ((now - start) / 1000);
}

function ours(impl: Sm2Implementation, name: string, keys: number): Candidate {
  return {
    name,
    keys,
    prepare(message) {
      const pairs = Array.from({ length: keys }, () => sm2GenerateKeyPair(impl));
      const signatures = pairs.map((p) => impl.sign(p.privateKey, message));
      return {
        sign: (i) => impl.sign(pairs[i % keys]!.privateKey, message),
        verify: (i) => impl.verify(pairs[i % keys]!.publicKey, message, signatures[i % keys]!),
      };
    },
  };
}

interface HexLib {
  generateKeyPairHex(): { privateKey: string; publicKey: string };
  doSignature(msg: Uint8Array, privateKey: string, opts: { hash: true; publicKey: string }): string;
  doVerifySignature(msg: Uint8Array, signature: string, publicKey: string, opts: { hash: true }): boolean;
}

function theirs(lib: HexLib, name: string, keys: number): Candidate {
  return {
    name,
    keys,
    prepare(message) {
      const pairs = Array.from({ length: keys }, () => lib.generateKeyPairHex());
      const opts = (i: number) => ({ hash: true as const, publicKey: pairs[i % keys]!.publicKey });
      const signatures = pairs.map((p, i) => lib.doSignature(message, p.privateKey, opts(i)));
      return {
        sign: (i) => lib.doSignature(message, pairs[i % keys]!.privateKey, opts(i)),
        verify: (i) => lib.doVerifySignature(message, signatures[i % keys]!, pairs[i % keys]!.publicKey, { hash: true }),
      };
    },
  };
}

const ed25519: Candidate = {
  name: 'Ed25519 node:crypto (reference)',
  keys: 8,
  prepare(message) {
    const pairs = Array.from({ length: 8 }, () => ed25519GenerateKeyPair());
    const signatures = pairs.map((p) => ed25519Sign(p.privateKey, message));
    return {
      sign: (i) => ed25519Sign(pairs[i % 8]!.privateKey, message),
      verify: (i) => ed25519Verify(pairs[i % 8]!.publicKey, message, signatures[i % 8]!),
    };
  },
};

export async function runSm2Bench(options: Sm2BenchOptions = {}): Promise<Row[]> {
  const durationMs = options.durationMs ?? 500;
  const rounds = options.rounds ?? 3;
  const message = new Uint8Array(options.messageBytes ?? 512).map((_, i) => 0x20 + (i % 90));
  const native = findNativeSm2();
  const candidates: Candidate[] = [
    ...(native ? [ours(native, 'SM2 native (OpenSSL addon)', 8), ours(native, 'SM2 native, key import per call', 256)] : []),
    ours(sm2Ts, 'SM2 pure TS (@noble/curves)', 8),
    theirs(smCrypto.sm2 as unknown as HexLib, 'sm-crypto 0.5.8', 8),
    theirs(smV2 as unknown as HexLib, 'sm-crypto-v2 1.15.1 {hash:true}', 8),
    ed25519,
  ];
  const prepared = candidates.map((candidate) => ({ candidate, ops: candidate.prepare(message) }));
  const measured = candidates.map((c) => ({ name: c.name, keys: c.keys, signPerSec: 0, verifyPerSec: 0 }));
  for (let round = 0; round < rounds; round++) {
    for (const [index, { candidate, ops }] of prepared.entries()) {
      const verify = (i: number): void => {
        if (!ops.verify(i)) throw new Error(`${candidate.name}: verification failed during the benchmark`);
      };
      const row = measured[index]!;
      row.signPerSec = Math.max(row.signPerSec, measure(durationMs, ops.sign));
      row.verifyPerSec = Math.max(row.verifyPerSec, measure(durationMs, verify));
      await new Promise((resolve) => setImmediate(resolve)); // let the event loop breathe between runs
    }
  }
  const v2 = measured.find((r) => r.name.startsWith('sm-crypto-v2'))?.verifyPerSec ?? Number.NaN;
  const ed = measured.find((r) => r.name.startsWith('Ed25519'))?.verifyPerSec ?? Number.NaN;
  return measured.map((r) => ({ ...r, verifyVsSmCryptoV2: r.verifyPerSec / v2, verifyVsEd25519: r.verifyPerSec / ed }));
}

export function formatSm2Bench(rows: Row[]): string {
  const header = ['implementation', 'keys', 'sign/s', 'verify/s', 'verify ÷ sm-crypto-v2', 'verify ÷ Ed25519'];
  const body = rows.map((r) => [
    r.name,
    String(r.keys),
    Math.round(r.signPerSec).toLocaleString('en-US'),
    Math.round(r.verifyPerSec).toLocaleString('en-US'),
    `${r.verifyVsSmCryptoV2.toFixed(2)}×`,
    `${(r.verifyVsEd25519 * 100).toFixed(1)}%`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const arg = (name: string, fallback: number): number => {
    const found = process.argv.find((a) => a.startsWith(`--${name}=`));
    return found ? Number(found.slice(name.length + 3)) : fallback;
  };
  const durationMs = arg('duration', 500);
  const rounds = arg('rounds', 3);
  const status = nativeSm2Status();
  console.log(
    `Node ${process.version}, OpenSSL ${process.versions.openssl}, 512-byte message, best of ${rounds} interleaved rounds of ${durationMs} ms, single thread`,
  );
  console.log(status.available ? `native SM2 addon: ${status.path}` : `native SM2 addon unavailable: ${status.reason}`);
  console.log(formatSm2Bench(await runSm2Bench({ durationMs, rounds })));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
