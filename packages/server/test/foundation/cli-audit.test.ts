import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startPlatform } from '../../src/platform.ts';
import { run } from '../../src/cli/audit-verify.ts';
import { appendAuditEntries } from '../../src/audit/use-cases/append-audit.ts';
import { TEST_MASTER_KEY } from '../support/test-database.ts';

describe('mianzheng audit verify (embedded data directory)', () => {
  it('reports an intact chain with exit 0 and a tampered one with exit 3 and the entry', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mz-cli-'));
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }, { masterKey: TEST_MASTER_KEY, passwordCost: 1024 });
    const { app, database } = await startPlatform(config, { logger: false });
    // a few chained entries (the demo seed's thousands add nothing here but time); one transaction writes them to one chain
    await database.db.transaction().execute((trx) => appendAuditEntries(trx, Array.from({ length: 4 }, (_, i) => ({ actorId: null, actorRole: null, action: 'test.entry', subjectType: 'test', subjectId: String(i), change: { i } }))));
    await app.close();
    await database.close();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await run(['--data-dir', dir])).toBe(0);
      expect(log.mock.calls.at(-1)?.[0]).toMatch(/intact: \d+ entries/);
      const db = await openDatabase({ dataDir: path.join(dir, 'pglite') });
      await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`.execute(db.db);
      const victim = await db.db.selectFrom('audit_log').select(['chain', 'seq']).where('seq', '>=', 2).orderBy('chain').orderBy('seq').limit(1).executeTakeFirstOrThrow();
      await sql`UPDATE audit_log SET action = 'forged' WHERE chain = ${victim.chain} AND seq = ${victim.seq}`.execute(db.db);
      await db.close();
      expect(await run(['--data-dir', dir])).toBe(3);
      expect(log.mock.calls.at(-1)?.[0]).toContain(`broken at chain ${victim.chain} entry ${victim.seq} (hash_mismatch)`);
    } finally {
      log.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
