/** What the benchmarks measure with: percentiles, and CPU time from /proc (Linux). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { nativeSm2Status } from '@mianzheng/crypto';

/** The p-th percentile (0–100) of a sample, nearest-rank; NaN for an empty sample. */
export function pct(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Clock ticks per second of /proc's CPU counters (USER_HZ). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU milliseconds (user + system) a process has used so far; 0 when it is gone. */
export function pidCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // utime + stime
  } catch {
    return 0;
  }
}

/** Busy and total CPU milliseconds of all cores so far (/proc/stat: all but idle and iowait is busy). */
export function machineCpuMs(): { busy: number; total: number } {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: ((total - f[3]! - f[4]!) * 1000) / CLK_TCK, total: (total * 1000) / CLK_TCK };
}

/**
 * Which SM2 the figures were taken with: the OpenSSL addon (built by `npm install`'s
 * postinstall, `npm start` and `npm test`) or the pure TypeScript fallback, which is
 * several times slower and would make every SM2 figure of a run meaningless.
 */
export function sm2Line(): string {
  const native = nativeSm2Status();
  return native.available
    ? `SM2: native OpenSSL addon (${native.opensslVersion})`
    : `SM2: PURE TYPESCRIPT FALLBACK — the native addon is unavailable (${native.reason}); run \`node packages/crypto/scripts/build-native.mjs\` for representative SM2 figures`;
}
