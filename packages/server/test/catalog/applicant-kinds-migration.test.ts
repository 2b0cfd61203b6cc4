import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { testDbKind, urlFor, withAdmin } from '../support/test-database.ts';

/**
 * Migration 0020 on a database that already holds service items and published versions
 * (the test template is migrated while empty, so its backfill is tested here).
 */
const DIR = path.resolve(import.meta.dirname, '../../src/db/migrations');
const files = fs.readdirSync(DIR).filter((f) => /^\d{4}_[a-z0-9-]+\.sql$/.test(f)).sort();
const MIGRATION = '0020_add-service-item-applicant-kinds.sql';

let database: Database;
let drop: () => Promise<void>;
let exec: (sql: string) => Promise<Record<string, unknown>[]>;

async function run(file: string) {
  await exec(`BEGIN;\n${fs.readFileSync(path.join(DIR, file), 'utf8')}\nCOMMIT;`);
}

beforeAll(async () => {
  if (testDbKind() === 'postgres') {
    const name = `mz_m_${randomBytes(6).toString('hex')}`;
    await withAdmin((c) => c.query(`CREATE DATABASE ${name} ENCODING 'UTF8' TEMPLATE template0`));
    database = await openDatabase({ databaseUrl: urlFor(name), poolSize: 1 });
    drop = async () => {
      await database.close();
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    };
  } else {
    database = await openDatabase({});
    drop = () => database.close();
  }
  exec = (sql) => database.exclusive((e) => e(sql));
  for (const f of files.filter((f) => f < MIGRATION)) await run(f);
  await exec(`
    INSERT INTO regions (code, name, level, parent_code) VALUES ('340000', '安徽省', 'province', NULL), ('340500', '马鞍山市', 'city', '340000');
    INSERT INTO departments (id, uscc, name, region_code, category) VALUES ('mas-mz', '11340500MB0000001X', '马鞍山市民政局', '340500', '民政');
    INSERT INTO service_items (code, name, department_id, region_code) VALUES
      ('340500-JHDJ', '结婚登记', 'mas-mz', '340500'), ('340500-QYSL', '企业设立登记', 'mas-mz', '340500'), ('340500-NEW', '某项本地事项', 'mas-mz', '340500');
    INSERT INTO catalog_versions (number, published_at, published_by, note, proof_item_count, service_item_count, content_digest) VALUES
      (1, now(), '测试', '首次发布', 0, 4, 'd1');
    INSERT INTO published_service_items (version_number, code, name, department_id, department_name, region_code, region_name, materials) VALUES
      (1, '340500-JHDJ', '结婚登记', 'mas-mz', '马鞍山市民政局', '340500', '马鞍山市', '[]'),
      (1, '340500-NEW', '某项本地事项', 'mas-mz', '马鞍山市民政局', '340500', '马鞍山市', '[]'),
      (1, '340500-SPJY', '食品经营许可', 'mas-mz', '马鞍山市民政局', '340500', '马鞍山市', '[]'),
      (1, '340500-GONE', '已取消的事项', 'mas-mz', '马鞍山市民政局', '340500', '马鞍山市', '[]');
  `);
  await run(MIGRATION);
}, 120_000);
afterAll(async () => { await drop?.(); });

const kindsOf = async (table: 'service_items' | 'published_service_items') =>
  Object.fromEntries((await exec(`SELECT code, applicant_kinds FROM ${table} ORDER BY code`)).map((r) => [r.code, r.applicant_kinds]));

describe('migration 0020: 服务对象 of existing service items and published versions', () => {
  it('backfills the draft: well-known services by name, any other item both kinds', async () => {
    expect(await kindsOf('service_items')).toEqual({
      '340500-JHDJ': ['person'], '340500-NEW': ['person', 'enterprise'], '340500-QYSL': ['enterprise'],
    });
  });

  it('backfills older versions from the current items (an item since removed: by name, else both), and leaves them immutable', async () => {
    expect(await kindsOf('published_service_items')).toEqual({
      '340500-GONE': ['person', 'enterprise'], '340500-JHDJ': ['person'], '340500-NEW': ['person', 'enterprise'], '340500-SPJY': ['enterprise'],
    });
    await expect(exec(`UPDATE published_service_items SET applicant_kinds = '{person}' WHERE code = '340500-NEW'`)).rejects.toThrow(/append-only/);
  });

  it('requires a non-empty list of person / enterprise, given on insert', async () => {
    const insert = (kinds: string | null) => exec(`INSERT INTO service_items (code, name, department_id, region_code${kinds === null ? '' : ', applicant_kinds'}) VALUES
      ('340500-T${randomBytes(3).toString('hex')}', '测试事项', 'mas-mz', '340500'${kinds === null ? '' : `, '${kinds}'`})`);
    await expect(insert(null)).rejects.toThrow(/null value|not-null/);
    await expect(insert('{}')).rejects.toThrow(/applicant_kinds_check/);
    await expect(insert('{robot}')).rejects.toThrow(/applicant_kinds_check/);
    await expect(insert('{person,staff}')).rejects.toThrow(/applicant_kinds_check/);
    await expect(insert('{enterprise}')).resolves.toBeDefined();
    await expect(exec(`INSERT INTO published_service_items (version_number, code, name, department_id, department_name, region_code, region_name, materials, applicant_kinds)
      VALUES (1, 'X', 'x', 'mas-mz', 'x', '340500', 'x', '[]', '{}')`)).rejects.toThrow(/applicant_kinds_check/);
  });
});
