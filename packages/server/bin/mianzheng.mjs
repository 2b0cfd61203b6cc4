#!/usr/bin/env node
// 免证 Mianzheng CLI. Runs the TypeScript sources through tsx (a dependency of the server package).
//   node packages/server/bin/mianzheng.mjs license verify license.json --cache ./mianzheng-cache
//   npx mianzheng license fetch-cache --url http://127.0.0.1:8080 --out ./mianzheng-cache
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
