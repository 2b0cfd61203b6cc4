import type { CliCommand } from './command.ts';

/**
 * `mianzheng provider --config <file>`: runs a department's data-sharing provider node
 * (package @mianzheng/provider; also `node packages/provider/bin/provider.mjs`).
 */
export const command: CliCommand = {
  name: 'provider',
  summary: 'Run a data-sharing provider node (数据共享提供节点) from its configuration file',
  usage: 'provider --config <file> [--check]  |  provider verify-trail --config <file>   (see docs/exchange.md)',
  async run(args) {
    const { runProviderCli } = await import('@mianzheng/provider/cli');
    return runProviderCli(args);
  },
};
