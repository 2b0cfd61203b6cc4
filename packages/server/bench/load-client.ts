/**
 * The load generator of bench:applications, run in its own process so that its HTTP client
 * does not share the event loop (and the CPU figure) of the platform it measures.
 *
 * argv[2]: JSON { mode: 'applications' | 'ping', base, bases?, n, concurrency, warmup, citizen?, clerk?, item? }
 * With `bases` (several platform instances on one database) each request goes to the next
 * instance in turn, as a round-robin load balancer would send it.
 * Protocol on stdio: after the warm-up it prints `{"event":"warm"}` and waits for a line on
 * stdin; then it runs the measured loop and prints `{"event":"done", seconds, latencies, mixes}`.
 */
import readline from 'node:readline';

interface Job { mode: 'applications' | 'ping'; base: string; bases?: string[]; n: number; concurrency: number; warmup: number; citizen?: string; clerk?: string; item?: string }

const job = JSON.parse(process.argv[2]!) as Job;
const bases = job.bases?.length ? job.bases : [job.base];
let turn = 0;
/** the instance for the next request (round robin) */
const at = () => bases[turn++ % bases.length]!;
const json = { 'content-type': 'application/json' };

async function oneApplication(): Promise<string> {
  const citizen = { authorization: `Bearer ${job.citizen}`, ...json };
  const clerk = { authorization: `Bearer ${job.clerk}`, ...json };
  const res = await fetch(`${at()}/api/v1/applications`, { method: 'POST', headers: citizen, body: JSON.stringify({ serviceItemCode: job.item }) });
  const a = await res.json() as { id: string; materials: { resolution: { method: string; status: string; commitment: { id: string } | null } | null }[] };
  if (res.status !== 201) throw new Error(`submit ${res.status} ${JSON.stringify(a)}`);
  const mix = a.materials.filter((m) => m.resolution).map((m) => `${m.resolution!.method}:${m.resolution!.status}`);
  const c = a.materials.find((m) => m.resolution?.commitment)?.resolution?.commitment;
  if (c) {
    const s = await fetch(`${at()}/api/v1/commitments/${c.id}/sign`, { method: 'POST', headers: citizen, body: JSON.stringify({ accept: true }) });
    if (s.status !== 200) throw new Error(`sign ${s.status} ${await s.text()}`);
  }
  const d = await fetch(`${at()}/api/v1/applications/${a.id}/approve`, { method: 'POST', headers: clerk, body: '{}' });
  const status = ((await d.json()) as { status: string }).status;
  return `${mix.sort().join(' ')} → ${status}`;
}

async function ping(): Promise<string> {
  await (await fetch(`${job.base}/ping`)).json();
  return 'ping';
}

/** Closed loop: `concurrency` workers, each starting its next call when the previous returns. */
async function run(n: number, one: () => Promise<string>) {
  const latencies: number[] = [];
  const mixes: Record<string, number> = {};
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, async () => {
    while (next < n) {
      next++;
      const t = performance.now();
      const mix = await one();
      latencies.push(performance.now() - t);
      mixes[mix] = (mixes[mix] ?? 0) + 1;
    }
  }));
  return { seconds: (performance.now() - start) / 1000, latencies, mixes };
}

const one = job.mode === 'ping' ? ping : oneApplication;
await run(job.warmup, one);
console.log(JSON.stringify({ event: 'warm' }));
await new Promise<void>((resolve) => readline.createInterface({ input: process.stdin }).once('line', () => resolve()));
const r = await run(job.n, one);
console.log(JSON.stringify({ event: 'done', ...r }));
process.exit(0);
