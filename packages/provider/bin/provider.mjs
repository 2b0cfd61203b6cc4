#!/usr/bin/env node
// The provider node's own entry point (also reachable as `mianzheng provider …`).
import { register } from 'tsx/esm/api';

register();
const { runProviderCli } = await import('../src/cli.ts');
const argv = process.argv.slice(2);
process.exitCode = await runProviderCli(argv[0] === 'provider' ? argv.slice(1) : argv);
