/** Sample nodes on synthetic records (for `npm start`, tests and the benchmark). */
import fs from 'node:fs';
import path from 'node:path';
import { generateWorld, type DemoEnterprise, type DemoPerson, type SyntheticWorld } from './synthetic.ts';
import { writeFileSamples, writeSqlSamples, writeXlsxSample } from './sample-nodes.ts';

export * from './synthetic.ts';
export { prng } from './prng.ts';
export * from './sample-nodes.ts';
export { startLegacyBackend, type LegacyBackend } from './legacy-backend.ts';

const GENERATOR_VERSION = 1;

/**
 * Writes the synthetic data of all sample nodes under `dir`, once per calendar month (the
 * monthly records are generated relative to the current month) or when the demo subjects
 * change. Returns the world (regenerated deterministically when the files already exist).
 */
export async function prepareSampleData(dir: string, options: { demoPeople: DemoPerson[]; demoEnterprises: DemoEnterprise[]; count?: number; now?: Date }): Promise<{ world: SyntheticWorld; written: boolean }> {
  const now = options.now ?? new Date();
  const month = now.toISOString().slice(0, 7);
  const fingerprint = JSON.stringify({ v: GENERATOR_VERSION, month, count: options.count ?? 300, people: options.demoPeople, enterprises: options.demoEnterprises });
  const manifest = path.join(dir, 'samples.json');
  // Generated as of the first day of the month: the same world (and files) all month long.
  const world = generateWorld({ count: options.count ?? 300, now: new Date(`${month}-01T00:00:00.000Z`), demoPeople: options.demoPeople, demoEnterprises: options.demoEnterprises });
  if (fs.existsSync(manifest) && fs.readFileSync(manifest, 'utf8') === fingerprint) return { world, written: false };
  fs.mkdirSync(dir, { recursive: true });
  writeFileSamples(dir, world);
  await writeXlsxSample(dir, world);
  await writeSqlSamples(dir, world);
  fs.writeFileSync(manifest, fingerprint);
  return { world, written: true };
}
export { toCsv, parseCsv } from '../sources/csv.ts';
