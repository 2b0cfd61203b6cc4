/**
 * `mianzheng` command-line tool: a small dispatcher over subcommands, one file each.
 *   node packages/server/bin/mianzheng.mjs <command> …   (or `npx mianzheng …` inside the workspace)
 * Add a subcommand by adding a file exporting `command: CliCommand` and a line below.
 */
import type { CliCommand, CliIo } from './command.ts';
import { UsageError } from './command.ts';

const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  'license verify': async () => (await import('./license-verify.ts')).command,
  'license fetch-cache': async () => (await import('./license-fetch-cache.ts')).command,
  provider: async () => (await import('./provider.ts')).command,
};

export function registerCommand(name: string, load: () => Promise<CliCommand>): void {
  COMMANDS[name] = load;
}

const stdio: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

async function help(io: CliIo): Promise<void> {
  io.out('免证 Mianzheng command-line tool\n\nUsage: mianzheng <command> [options]\n\nCommands:');
  for (const [name, load] of Object.entries(COMMANDS)) {
    const c = await load();
    io.out(`  ${name.padEnd(22)} ${c.summary}`);
  }
  io.out('\nRun "mianzheng <command> --help" for the options of a command.');
}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    await help(io);
    return argv.length === 0 ? 2 : 0;
  }
  // The longest "group name" prefix that names a command.
  const name = [2, 1].map((n) => argv.slice(0, n).join(' ')).find((n) => n in COMMANDS);
  if (!name) {
    io.err(`unknown command: ${argv.slice(0, 2).join(' ')}`);
    await help(io);
    return 2;
  }
  const command = await COMMANDS[name]!();
  const rest = argv.slice(name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: mianzheng ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\nUsage: mianzheng ${command.usage}`);
      return 2;
    }
    io.err(e instanceof Error ? e.message : String(e));
    return 2;
  }
}
