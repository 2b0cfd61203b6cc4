/**
 * `mianzheng <command> …` — a small dispatcher; each command lives in its own file and
 * exports `run(args: string[]): Promise<number>` (the exit code).
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  'audit verify': { summary: 'recompute the audit hash chain and report the first broken link', load: () => import('./audit-verify.ts') },
};

async function main(argv: string[]): Promise<number> {
  const key = Object.keys(COMMANDS).find((k) => k.split(' ').every((w, i) => argv[i] === w));
  if (!key) {
    console.log('usage: mianzheng <command> [options]\n');
    for (const [name, c] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(24)} ${c.summary}`);
    return argv.length === 0 || argv[0] === '--help' ? 0 : 2;
  }
  const command = await COMMANDS[key]!.load();
  return command.run(argv.slice(key.split(' ').length));
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e: Error) => {
  console.error(e.message);
  process.exit(1);
});
