import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runProviderCli } from '../src/cli.ts';
import { prunedManifestFile, pruneTrail, readPrunedManifest, scanTrailSet, Trail, trailArchives, TrailPruneError, type TrailRecord } from '../src/node/trail.ts';
import { STANDARD_ITEMS } from '../src/protocol/standard-items.ts';
import { marriageNodeConfig, newConsumer, tmpDir } from './support.ts';

const NOW = new Date('2026-11-27T08:00:00Z');

function record(at: string, i: number): TrailRecord {
  return {
    at, consumer: 'mas-ga', keyId: 'mas-ga#k1', item: 'marriage-status', purpose: 'application_review', application: `BJ-${i}`, legalBasis: '《婚姻登记条例》第五条',
    nonce: `nonce-${String(i).padStart(16, '0')}`, requestTimestamp: at, authenticated: true, requestSm3: 'a'.repeat(64), paramsHmac: 'b'.repeat(64),
    status: 200, outcome: 'answered', reason: null, field: null, responseSm3: 'c'.repeat(64), asOf: at, durationMs: 1,
  };
}

/** A trail of 24 monthly entries (2024-12 … 2026-11), rotated every few entries, as a node that ran two years leaves it. */
async function twoYearTrail(dir: string): Promise<string> {
  const file = path.join(dir, 'trail.jsonl');
  const { trail } = await Trail.open(file, { fsync: false, recentMs: 0, nowMs: NOW.getTime(), rotateBytes: 1500 });
  for (let i = 0; i < 24; i++) {
    const month = new Date(Date.UTC(2024, 11 + i, 15));
    await trail.append(record(month.toISOString(), i + 1));
  }
  await trail.close();
  return file;
}

const sm3 = (f: string) => createHash('sm3').update(fs.readFileSync(f)).digest('hex');

describe('trail retention: pruning archives older than a date', () => {
  it('refuses a date less than six months ago, and changes nothing', async () => {
    const file = await twoYearTrail(tmpDir());
    const before = trailArchives(file).length;
    await expect(pruneTrail(file, { before: new Date('2026-06-01T00:00:00Z'), now: NOW, moveTo: path.join(path.dirname(file), 'cold') })).rejects.toThrow(TrailPruneError);
    await expect(pruneTrail(file, { before: new Date('2026-06-01T00:00:00Z'), now: NOW })).rejects.toThrow(/180 days.*网络安全法/);
    expect(trailArchives(file).length).toBe(before);
    expect(fs.existsSync(prunedManifestFile(file))).toBe(false);
  });

  it('moves whole old archives to cold storage (identical by SM3), records them, and the rest of the chain still verifies and continues', async () => {
    const dir = tmpDir();
    const file = await twoYearTrail(dir);
    const archives = trailArchives(file);
    expect(archives.length).toBeGreaterThan(4);
    const originals = new Map(archives.map((a) => [path.basename(a.file), sm3(a.file)]));
    const cold = path.join(dir, 'cold');

    const { pruned, kept } = await pruneTrail(file, { before: new Date('2025-12-01T00:00:00Z'), now: NOW, moveTo: cold });
    expect(pruned.length).toBeGreaterThan(0);
    // only archives whose last entry is before the date, oldest first and contiguous
    for (const a of pruned) expect(Date.parse(a.lastAt)).toBeLessThan(Date.parse('2025-12-01T00:00:00Z'));
    expect(pruned[0]!.from).toBe(1);
    pruned.slice(1).forEach((a, i) => expect(a.from).toBe(pruned[i]!.to + 1));
    const remaining = trailArchives(file);
    expect(remaining.length).toBe(kept);
    expect(remaining[0]!.from).toBe(pruned.at(-1)!.to + 1);
    for (const a of pruned) {
      expect(fs.existsSync(path.join(dir, a.name))).toBe(false);
      expect(sm3(path.join(cold, a.name))).toBe(originals.get(a.name));
      expect(a.sm3).toBe(originals.get(a.name));
      expect(a.disposition).toBe(`moved:${cold}`);
    }
    const manifest = readPrunedManifest(file)!;
    expect(manifest.anchor).toEqual({ seq: pruned.at(-1)!.to, hash: pruned.at(-1)!.lastHash });

    const check = await scanTrailSet(file);
    expect(check).toMatchObject({ ok: true, pruned: manifest.anchor.seq, entries: 24 - manifest.anchor.seq, lastSeq: 24 });

    // the node restarts and continues the chain after pruning
    const { trail } = await Trail.open(file, { fsync: false, recentMs: 0, nowMs: NOW.getTime(), rotateBytes: 1500 });
    expect(trail.lastSeq).toBe(24);
    await trail.append(record(NOW.toISOString(), 25));
    await trail.close();
    expect(await scanTrailSet(file)).toMatchObject({ ok: true, lastSeq: 25 });

    // a second prune, later, deletes more and appends to the manifest
    const second = await pruneTrail(file, { before: new Date('2026-05-01T00:00:00Z'), now: NOW });
    expect(second.pruned.length).toBeGreaterThan(0);
    expect(second.pruned[0]!.from).toBe(manifest.anchor.seq + 1);
    expect(second.pruned.every((a) => a.disposition === 'deleted')).toBe(true);
    const after = readPrunedManifest(file)!;
    expect(after.archives.length).toBe(pruned.length + second.pruned.length);
    expect((await scanTrailSet(file)).ok).toBe(true);
  });

  it('never prunes the newest archive or the current file, whatever the date', async () => {
    const file = await twoYearTrail(tmpDir());
    const newest = trailArchives(file).at(-1)!;
    await pruneTrail(file, { before: new Date('2029-01-01T00:00:00Z'), now: new Date('2030-01-01T00:00:00Z') });
    expect(trailArchives(file).map((a) => a.file)).toEqual([newest.file]);
    expect(fs.existsSync(file)).toBe(true);
    expect((await scanTrailSet(file)).ok).toBe(true);
  });

  it('refuses to prune a broken trail; the manifest does not hide a missing or edited kept archive', async () => {
    const file = await twoYearTrail(tmpDir());
    const archives = trailArchives(file);
    fs.writeFileSync(archives[0]!.file, fs.readFileSync(archives[0]!.file, 'utf8').replace('"status":200', '"status":201'));
    await expect(pruneTrail(file, { before: new Date('2025-12-01T00:00:00Z'), now: NOW })).rejects.toThrow(/broken/);
    expect(fs.existsSync(prunedManifestFile(file))).toBe(false);

    const good = await twoYearTrail(tmpDir());
    await pruneTrail(good, { before: new Date('2025-06-01T00:00:00Z'), now: NOW });
    const kept = trailArchives(good);
    expect(kept.length).toBeGreaterThan(2);
    fs.rmSync(kept[1]!.file);
    const check = await scanTrailSet(good);
    expect(check.ok).toBe(false);
    expect(check.problem).toContain(path.basename(kept[2]!.file));
  });

  it('an interrupted prune (manifest written, archive not yet removed) still verifies, and running it again finishes', async () => {
    const dir = tmpDir();
    const file = await twoYearTrail(dir);
    const first = trailArchives(file)[0]!;
    const saved = fs.readFileSync(first.file);
    await pruneTrail(file, { before: new Date('2025-03-01T00:00:00Z'), now: NOW });
    fs.writeFileSync(first.file, saved); // as if the process died after writing the manifest
    expect((await scanTrailSet(file)).ok).toBe(true);
    const again = await pruneTrail(file, { before: new Date('2025-03-01T00:00:00Z'), now: NOW });
    expect(again.pruned).toEqual([]);
    expect(fs.existsSync(first.file)).toBe(false);
    expect((await scanTrailSet(file)).ok).toBe(true);
  });

  it('mianzheng provider trail-prune: usage errors exit 2, a prune exits 0, verify-trail names the pruned range', async () => {
    const dir = tmpDir();
    const file = await twoYearTrail(dir);
    marriageNodeConfig(dir, [newConsumer()]); // writes the CSV the configuration names
    const configFile = path.join(dir, 'node.json');
    fs.writeFileSync(configFile, JSON.stringify({
      node: { id: 'node-test-mz', name: '测试民政节点' }, listen: { host: '127.0.0.1', port: 0 }, signing: { suite: 'Ed25519', keyFile: './node-key.json' },
      trail: { file: './trail.jsonl', fsync: false }, sources: { registry: { type: 'csv', file: './marriage.csv' } },
      items: [{ ...STANDARD_ITEMS.marriageStatus, source: 'registry', match: { id_number: 'idNumber' }, fields: { married: { column: 'marital_status', in: ['已婚'] } }, asOf: { column: 'updated_at' } }],
      consumers: [],
    }));
    const errors: string[] = [];
    const logs: string[] = [];
    const origError = console.error;
    const origLog = console.log;
    console.error = (...a: unknown[]) => { errors.push(a.join(' ')); };
    console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
    try {
      expect(await runProviderCli(['trail-prune', '--config', configFile, '--before', '2025-06-01'])).toBe(2); // neither --delete nor --move-to
      expect(await runProviderCli(['trail-prune', '--config', configFile, '--before', 'last year', '--delete'])).toBe(2);
      expect(await runProviderCli(['trail-prune', '--config', configFile, '--before', '2026-10-01', '--delete']), errors.join('\n')).toBe(1); // within six months
      expect(await runProviderCli(['trail-prune', '--config', configFile, '--before', '2025-06-01', '--move-to', path.join(dir, 'cold')])).toBe(0);
      expect(logs.some((l) => l.includes('"archive"'))).toBe(true);
      logs.length = 0;
      expect(await runProviderCli(['verify-trail', '--config', configFile])).toBe(0);
      expect(logs.join('\n')).toMatch(/trail intact: \d+ entries .*pruned/);
    } finally {
      console.error = origError;
      console.log = origLog;
    }
    expect(errors.join('\n'), errors.join('\n')).toMatch(/--move-to <directory>/);
    expect(fs.existsSync(file)).toBe(true);
  });
});
