import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const FORBIDDEN_IN_DOMAIN = [/from ['"]fastify/, /from ['"]@fastify\//, /from ['"]kysely/, /from ['"]pg['"]/, /from ['"]@electric-sql\//, /from ['"]node:crypto['"]/, /from ['"]node:fs['"]/, /process\.env/];

describe('dependency rules (STYLE.md)', () => {
  const domainFiles = files(SRC).filter((f) => f.split(path.sep).includes('domain'));
  it('finds the domain folders', () => expect(domainFiles.length).toBeGreaterThan(5));
  it('domain code imports no Fastify, Kysely, database driver, node:crypto, fs or process.env', () => {
    const offences = domainFiles.flatMap((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return FORBIDDEN_IN_DOMAIN.filter((re) => re.test(text)).map((re) => `${path.relative(SRC, f)}: ${re}`);
    });
    expect(offences).toEqual([]);
  });
  it('domain code imports no adapters or use cases', () => {
    const offences = domainFiles.filter((f) => /from ['"][^'"]*\/(adapters|use-cases)\//.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
    expect(offences).toEqual([]);
  });
  it('nothing outside config.ts reads process.env', () => {
    const offences = files(SRC).filter((f) => !f.endsWith(`${path.sep}config.ts`) && !f.includes(`${path.sep}cli${path.sep}`) && /process\.env/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
    expect(offences).toEqual([]);
  });
});
