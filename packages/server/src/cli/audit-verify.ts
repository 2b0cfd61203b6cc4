import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { verifyAuditChain } from '../audit/use-cases/verify-audit-chain.ts';

/** `mianzheng audit verify [--data-dir DIR]`: the database is DATABASE_URL, or the embedded one in DATA_DIR. Exit 0 intact, 3 broken. */
export async function run(args: string[]): Promise<number> {
  const i = args.indexOf('--data-dir');
  const config = loadConfig(i >= 0 ? { ...process.env, DATA_DIR: args[i + 1] } : process.env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.embedded ? path.join(config.dataDir, 'pglite') : undefined });
  try {
    const result = await verifyAuditChain(database.db);
    if (result.ok) {
      console.log(`审计链完整 audit chain intact: ${result.checked} entries in ${result.chains} chains checked`);
      return 0;
    }
    console.log(`审计链断裂 audit chain broken at chain ${result.firstBroken!.chain} entry ${result.firstBroken!.seq} (${result.firstBroken!.reason}); ${result.checked} entries before it are intact`);
    return 3;
  } finally {
    await database.close();
  }
}
