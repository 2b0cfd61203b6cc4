/** One CLI subcommand: `mianzheng <group> <name> …`. Each lives in its own file and is loaded on demand. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand {
  /** e.g. "license verify" */
  name: string;
  summary: string;
  usage: string;
  /** Exit code: 0 success, 1 a negative result (e.g. not verified), 2 a usage or input error. */
  run(args: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}

/** `--name value`, `--name=value`, boolean `--flag`; everything else is positional. */
export function parseArgs(args: string[], spec: { values?: string[]; flags?: string[] }): { positional: string[]; values: Record<string, string>; flags: Set<string> } {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq === -1 ? undefined : eq);
    if (spec.flags?.includes(name)) { flags.add(name); continue; }
    if (!spec.values?.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? args[++i] : a.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    values[name] = value;
  }
  return { positional, values, flags };
}
