import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const EXCHANGE = path.resolve(import.meta.dirname, '../../src/exchange');
const PROVIDER = path.resolve(import.meta.dirname, '../../../provider/src');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

function imports(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => ({ spec: m[2]!, typeOnly: !!m[1] }));
}

describe('exchange dependency rules', () => {
  it('exchange/domain imports only types from the protocol and its own domain files (no transport, resilience or crypto library)', () => {
    const domain = files(path.join(EXCHANGE, 'domain'));
    expect(domain.length).toBeGreaterThanOrEqual(4);
    const offences = domain.flatMap((f) => imports(f).filter((i) => !(i.spec.startsWith('./') || (i.typeOnly && i.spec === '@mianzheng/provider/protocol'))).map((i) => `${path.basename(f)}: ${i.spec}`));
    expect(offences).toEqual([]);
  });

  it('routes reach storage only through use cases and the infrastructure they are given', () => {
    const routes = fs.readFileSync(path.join(EXCHANGE, 'adapters/routes.ts'), 'utf8');
    expect(routes).not.toMatch(/\.selectFrom\(|\.insertInto\(|\.updateTable\(|\.deleteFrom\(/);
  });

  it('the provider protocol (shared by node and platform) does not depend on the node, its sources or the samples', () => {
    const offences = files(path.join(PROVIDER, 'protocol')).flatMap((f) => imports(f).filter((i) => /\.\.\/(node|sources|samples)\//.test(i.spec)).map((i) => `${path.basename(f)}: ${i.spec}`));
    expect(offences).toEqual([]);
  });

  it('the provider node never imports the platform', () => {
    const offences = files(PROVIDER).flatMap((f) => imports(f).filter((i) => i.spec.includes('@mianzheng/server') || i.spec.includes('/server/')).map((i) => `${path.relative(PROVIDER, f)}: ${i.spec}`));
    expect(offences).toEqual([]);
  });
});
