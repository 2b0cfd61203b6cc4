import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLicenseIdentifier, parseLicenseIdentifier } from '@mianzheng/crypto';
import { computeAssociation } from '../../src/licenses/domain/association.ts';
import { grantCovers, grantState, licenseUsable, pickGrantedLicense } from '../../src/licenses/domain/grant.ts';
import { LICENSE_STATUSES, nextStatus, packStatusList, readStatusValue, STATUS_ACTIONS, STATUS_TRANSITIONS, STATUS_VALUE, statusFromValue } from '../../src/licenses/domain/license-status.ts';
import { checkFieldSchemaChange, checkFieldValues, checkLicenseTypeDefinition, maskName, validityEnd, type FieldDefinition, type LicenseTypeDefinition } from '../../src/licenses/domain/license-type.ts';
import { checkDisclosures, decodeDisclosure, encodeDisclosure } from '../../src/licenses/domain/selective-disclosure.ts';
import { chinaDate, parseSignedLicense } from '../../src/licenses/domain/license-document.ts';
import { checkPresentationTime, audienceMatches, type Presentation } from '../../src/licenses/domain/presentation.ts';
import { licenseCrypto } from '../../src/licenses/adapters/license-crypto.ts';

const fields: FieldDefinition[] = [
  { name: 'registrationDate', label: '登记日期', type: 'date', required: true, disclosable: true },
  { name: 'area', label: '面积', type: 'number', required: false, disclosable: true },
  { name: 'kind', label: '类别', type: 'enum', required: true, disclosable: false, enumValues: ['甲', '乙'] },
  { name: 'authority', label: '登记机关', type: 'string', required: true, disclosable: false },
];
const def: LicenseTypeDefinition = {
  code: '11100000000013338W011', name: '测试证', definingAgencyName: '公安部', holderKind: '111', fields, issuingDepartmentIds: ['mas-ga'],
  validity: { kind: 'years', years: 10 }, legalBasis: '《测试条例》第一条', description: '',
};

describe('GB/T 36904 identifier (DOMAIN.md example)', () => {
  it('builds and checks the MOD 37,36 check character', () => {
    const parts = { licenseTypeCode: '11100000000013338W011', issuerCode: '11430000006122244L', serialNumber: '20230000403', version: '001' };
    expect(buildLicenseIdentifier(parts)).toBe('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U');
    const wrong = parseLicenseIdentifier('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V');
    expect(wrong).toMatchObject({ wellFormed: true, checkCharValid: false, expectedCheckChar: 'U' });
  });
});

describe('license type definitions', () => {
  it('accepts a good definition', () => expect(checkLicenseTypeDefinition(def)).toEqual([]));
  it('validates the defining agency USCC inside the type code', () => {
    const v = checkLicenseTypeDefinition({ ...def, code: '11100000000013338X011' });
    expect(v.map((x) => x.code)).toContain('LICENSE.TYPE_CODE_INVALID');
    expect(checkLicenseTypeDefinition({ ...def, code: '11100000000013338W01' }).map((x) => x.field)).toContain('code');
  });
  it('rejects reserved, duplicate and malformed field names, empty enums, bad validity', () => {
    const v = checkLicenseTypeDefinition({
      ...def, validity: { kind: 'years', years: 0 }, issuingDepartmentIds: [],
      fields: [...fields, { ...fields[0]!, label: 'x' }, { name: 'holderCode', label: 'x', type: 'string', required: false, disclosable: true }, { name: 'Bad-name', label: 'x', type: 'string', required: false, disclosable: true }, { name: 'e', label: 'e', type: 'enum', required: false, disclosable: true, enumValues: [] }],
    });
    const fieldsAt = v.map((x) => x.field);
    expect(fieldsAt).toEqual(expect.arrayContaining(['validity.years', 'issuingDepartmentIds', 'fields.4.name', 'fields.5.name', 'fields.6.name', 'fields.7.enumValues']));
  });
  it('allows only additive field changes once licenses exist', () => {
    expect(checkFieldSchemaChange(fields, [...fields.map((f) => ({ ...f, label: `${f.label}(新)` })), { name: 'extra', label: '附加', type: 'string', required: false, disclosable: true }])).toEqual([]);
    expect(checkFieldSchemaChange(fields, fields.slice(1))).toHaveLength(1);
    expect(checkFieldSchemaChange(fields, [{ ...fields[0]!, type: 'string' }, ...fields.slice(1)])).toHaveLength(1);
    expect(checkFieldSchemaChange(fields, [...fields, { name: 'extra', label: '附加', type: 'string', required: true, disclosable: true }])).toHaveLength(1);
  });
});

describe('field values', () => {
  it('normalises valid values', () => {
    const r = checkFieldValues(fields, { registrationDate: '2024-02-29', area: '89.5', kind: '甲', authority: ' 民政局 ' });
    expect(r.violations).toEqual([]);
    expect(r.values).toEqual({ registrationDate: '2024-02-29', area: 89.5, kind: '甲', authority: '民政局' });
  });
  it('names every wrong field', () => {
    const r = checkFieldValues(fields, { registrationDate: '2023-02-29', area: 'abc', kind: '丙', unknown: 'x' });
    expect(r.violations.map((v) => v.field).sort()).toEqual(['fields.area', 'fields.authority', 'fields.kind', 'fields.registrationDate', 'fields.unknown']);
  });
  it('refuses control characters and unpaired surrogates in text (each would be a 6-byte escape in the signed disclosure), keeps tabs, line breaks and paired surrogates', () => {
    const base = { registrationDate: '2024-02-29', area: '89.5', kind: '甲' };
    for (const bad of ['民政\u0000局', '民政\u0001局', '民政局\u001b', '民政\u007f局', '民政局\ud800', '\udc00民政局']) {
      expect(checkFieldValues(fields, { ...base, authority: bad }).violations.map((v) => [v.field, v.code])).toEqual([['fields.authority', 'LICENSE.FIELDS_INVALID']]);
    }
    expect(checkFieldValues(fields, { ...base, authority: '马鞍山市\n民政局\t𠀀' }).violations).toEqual([]);
  });
});

describe('validity, masks, dates', () => {
  it('computes the end of an N-year validity', () => {
    expect(validityEnd({ kind: 'years', years: 10 }, '2026-03-01')).toBe('2036-02-29');
    expect(validityEnd({ kind: 'years', years: 1 }, '2024-02-29')).toBe('2025-02-27');
    expect(validityEnd({ kind: 'none' }, '2026-03-01')).toBeNull();
  });
  it('masks names', () => {
    expect(maskName('张晓梅')).toBe('张*梅');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('马鞍山市皖江新材料有限公司')).toBe('马鞍山市******公司');
    expect(maskName('欧阳娜娜子')).toBe('欧***子');
  });
  it('dates in China Standard Time', () => {
    expect(chinaDate(new Date('2026-01-01T16:30:00Z'))).toBe('2026-01-02');
  });
});

describe('status state machine: every (state, action) pair', () => {
  const expected: Record<string, string | undefined> = {
    'valid/suspend': 'suspended', 'valid/reinstate': undefined, 'valid/revoke': 'revoked',
    'suspended/suspend': undefined, 'suspended/reinstate': 'valid', 'suspended/revoke': 'revoked',
    'revoked/suspend': undefined, 'revoked/reinstate': undefined, 'revoked/revoke': undefined,
  };
  for (const from of LICENSE_STATUSES) {
    for (const action of STATUS_ACTIONS) {
      it(`${from} --${action}--> ${expected[`${from}/${action}`] ?? '(not allowed)'}`, () => {
        expect(nextStatus(from, action)).toBe(expected[`${from}/${action}`]);
      });
    }
  }
  it('the table has exactly the four allowed transitions', () => {
    expect(Object.values(STATUS_TRANSITIONS).flatMap((t) => Object.keys(t))).toHaveLength(4);
  });
});

describe('IETF token status list packing (2 bits, LSB first)', () => {
  it('packs and reads back', () => {
    const values = new Map([[0, 1], [1, 2], [3, 1], [4, 2], [9, 1]]);
    const bytes = packStatusList(values, 10);
    expect(bytes.length).toBe(3);
    // byte 0: idx0=1 (bits0-1), idx1=2 (bits2-3), idx3=1 (bits6-7) → 0b01_00_10_01
    expect(bytes[0]).toBe(0b01001001);
    for (let i = 0; i < 10; i++) expect(readStatusValue(bytes, i)).toBe(values.get(i) ?? 0);
    expect(readStatusValue(bytes, 12)).toBeUndefined();
    expect(statusFromValue(STATUS_VALUE.suspended)).toBe('suspended');
  });
});

describe('selective disclosure', () => {
  const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
  it('round-trips and matches the signed digest', () => {
    const d = encodeDisclosure({ salt, name: 'spouseName', value: '刘明' });
    expect(decodeDisclosure(d)).toEqual({ salt, name: 'spouseName', value: '刘明' });
    const ok = checkDisclosures([licenseCrypto.digest(d)], [d], {}, licenseCrypto.digest);
    expect(ok).toEqual({ ok: true, claims: { spouseName: '刘明' } });
  });
  it('rejects a changed value, a duplicate, a collision with a clear claim and garbage', () => {
    const d = encodeDisclosure({ salt, name: 'spouseName', value: '刘明' });
    const changed = encodeDisclosure({ salt, name: 'spouseName', value: '刘亮' });
    const digests = [licenseCrypto.digest(d)];
    expect(checkDisclosures(digests, [changed], {}, licenseCrypto.digest).ok).toBe(false);
    expect(checkDisclosures(digests, [d, d], {}, licenseCrypto.digest).ok).toBe(false);
    expect(checkDisclosures(digests, [d], { spouseName: 'x' }, licenseCrypto.digest).ok).toBe(false);
    expect(checkDisclosures(digests, ['!!'], {}, licenseCrypto.digest).ok).toBe(false);
    expect(decodeDisclosure(Buffer.from('["short","a",1]').toString('base64url'))).toBeUndefined();
    expect(decodeDisclosure(Buffer.from(`["${salt}","a",{"x":1}]`).toString('base64url'))).toBeUndefined();
  });
});

describe('document parsing never throws', () => {
  it('returns reasons for junk', () => {
    for (const junk of [null, 1, 'x', [], {}, { format: 'mianzheng-license/1' }, JSON.parse('{"__proto__":{"x":1}}')]) {
      const r = parseSignedLicense(junk, true);
      expect(r.ok).toBe(false);
    }
  });
});

describe('presentation time and audience', () => {
  const base = { createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:03:00.000Z' } as Presentation;
  it('expires, refuses lifetimes over 5 minutes and future creation', () => {
    expect(checkPresentationTime(base, new Date('2026-01-01T00:02:00Z')).ok).toBe(true);
    expect(checkPresentationTime(base, new Date('2026-01-01T00:03:01Z')).ok).toBe(false);
    expect(checkPresentationTime({ ...base, expiresAt: '2026-01-01T00:05:01.000Z' }, new Date('2026-01-01T00:01:00Z')).ok).toBe(false);
    expect(checkPresentationTime(base, new Date('2025-12-31T23:58:00Z')).ok).toBe(false);
  });
  it('matches accounts and departments', () => {
    const v = { accountId: 'a1', departmentId: 'mas-ga', name: 'x' };
    expect(audienceMatches(null, v)).toBe(true);
    expect(audienceMatches({ kind: 'account', id: 'a1', name: '' }, v)).toBe(true);
    expect(audienceMatches({ kind: 'account', id: 'a2', name: '' }, v)).toBe(false);
    expect(audienceMatches({ kind: 'department', id: 'mas-ga', name: '' }, v)).toBe(true);
    expect(audienceMatches({ kind: 'department', id: 'mas-mz', name: '' }, v)).toBe(false);
  });
});

describe('use grants', () => {
  const g = { departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', applicationRef: null, validUntil: new Date('2026-06-01T00:00:00Z'), revokedAt: null };
  it('is live, expired or revoked', () => {
    expect(grantState(g, new Date('2026-05-01T00:00:00Z'))).toBe('live');
    expect(grantState(g, new Date('2026-06-01T00:00:00Z'))).toBe('expired');
    expect(grantState({ ...g, revokedAt: new Date('2026-05-01T00:00:00Z') }, new Date('2026-05-02T00:00:00Z'))).toBe('revoked');
  });
  it('covers only its department and purpose', () => {
    expect(grantCovers(g, { departmentId: 'mas-ga', serviceItemCode: '340500-HKQY', applicationRef: 'A1' })).toBe(true);
    expect(grantCovers(g, { departmentId: 'mas-mz', serviceItemCode: '340500-HKQY' })).toBe(false);
    expect(grantCovers(g, { departmentId: 'mas-ga', serviceItemCode: '340500-SFZSL' })).toBe(false);
    expect(grantCovers({ ...g, serviceItemCode: null, applicationRef: 'A1' }, { departmentId: 'mas-ga', applicationRef: 'A1' })).toBe(true);
    expect(grantCovers({ ...g, serviceItemCode: null, applicationRef: 'A1' }, { departmentId: 'mas-ga', applicationRef: 'A2', serviceItemCode: '340500-HKQY' })).toBe(false);
  });
  it('a license is usable on a day when valid and within its validity period', () => {
    const l = { status: 'valid' as const, validFrom: '2026-01-01', validUntil: '2026-12-31' };
    expect(licenseUsable(l, '2026-01-01')).toBe(true);
    expect(licenseUsable(l, '2026-12-31')).toBe(true);
    expect(licenseUsable(l, '2027-01-01')).toBe(false);
    expect(licenseUsable(l, '2025-12-31')).toBe(false);
    expect(licenseUsable({ ...l, validUntil: null }, '2099-01-01')).toBe(true);
    expect(licenseUsable({ ...l, status: 'suspended' }, '2026-06-01')).toBe(false);
    expect(licenseUsable({ ...l, status: 'revoked' }, '2026-06-01')).toBe(false);
  });
  it('by holder and type, the license read is the newest usable granted one; never an ungranted one in its place', () => {
    const today = '2026-06-01';
    const lic = (id: string, granted: boolean, over: Partial<{ status: 'valid' | 'suspended' | 'revoked'; validUntil: string | null }> = {}) =>
      ({ id, granted, status: 'valid' as const, validFrom: '2026-01-01', validUntil: null, ...over });
    const pick = (...c: ReturnType<typeof lic>[]) => pickGrantedLicense(c, today)?.id;
    // newest first
    expect(pick(lic('new', false), lic('old', true))).toBe('old');
    expect(pick(lic('new', true), lic('old', true))).toBe('new');
    expect(pick(lic('new', true, { status: 'revoked' }), lic('old', true))).toBe('old');
    expect(pick(lic('new', true, { validUntil: '2026-05-31' }), lic('old', true))).toBe('old');
    // no usable granted one: the answer is about the newest usable one (not granted: no_grant …)
    expect(pick(lic('new', false), lic('old', true, { status: 'revoked' }))).toBe('new');
    // nothing usable: the newest granted one (license_revoked …), else the newest
    expect(pick(lic('new', false, { status: 'revoked' }), lic('old', true, { validUntil: '2026-05-31' }))).toBe('old');
    expect(pick(lic('new', false, { status: 'revoked' }), lic('old', false, { status: 'suspended' }))).toBe('new');
    expect(pick()).toBeUndefined();
  });
});

describe('association rate', () => {
  it('counts items whose license-kind materials are all linked', () => {
    const proofs = new Map([
      ['P1', { id: 'P1', name: '户籍证明', regionName: 'A', methods: ['e_license', 'data_sharing'] }],
      ['P2', { id: 'P2', name: '营业执照', regionName: 'A', methods: ['e_license'] }],
      ['P3', { id: 'P3', name: '婚姻状况证明', regionName: 'A', methods: ['data_sharing'] }],
    ]);
    const items = [
      { code: 'S1', name: 's1', regionCode: '340500', regionName: '马鞍山市', proofItemIds: ['P1', 'P3'] },
      { code: 'S2', name: 's2', regionCode: '340500', regionName: '马鞍山市', proofItemIds: ['P1', 'P2'] },
      { code: 'S3', name: 's3', regionCode: '340700', regionName: '铜陵市', proofItemIds: ['P3'] },
      { code: 'S4', name: 's4', regionCode: '340700', regionName: '铜陵市', proofItemIds: ['P2'] },
    ];
    const r = computeAssociation(items, proofs, new Set(['P1']));
    expect(r).toMatchObject({ total: 3, linked: 1, rate: 0.3333 });
    expect(r.byRegion).toEqual([
      { code: '340500', name: '马鞍山市', total: 2, linked: 1, rate: 0.5 },
      { code: '340700', name: '铜陵市', total: 1, linked: 0, rate: 0 },
    ]);
    expect(r.unlinked).toEqual([{ proofItemId: 'P2', name: '营业执照', regionName: 'A', serviceItemCount: 2 }]);
    expect(computeAssociation([], proofs, new Set()).rate).toBeNull();
  });
});

describe('architecture: the licenses domain is pure', () => {
  const dir = path.resolve(import.meta.dirname, '../../src/licenses/domain');
  const ALLOWED_CRYPTO = new Set(['canonicalize', 'parseLicenseIdentifier', 'parseUscc', 'parseIdentityNumber', 'SuiteId', 'type SuiteId']);
  for (const file of fs.readdirSync(dir)) {
    it(`${file} imports no Fastify, Kysely, node:*, database, adapters or crypto primitives, and reads no process.env`, () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const imports = [...text.matchAll(/import\s+(?:type\s+)?(?:\{([^}]*)\}|[\w*\s]+)\s+from\s+'([^']+)'/g)];
      for (const [, names, from] of imports) {
        // shared/calendar/calendar-date.ts is a leaf: it imports nothing (checked below)
        expect(from, `${file} imports ${from}`).toMatch(/^(\.\/|\.\.\/errors\.ts$|\.\.\/\.\.\/shared\/calendar\/calendar-date\.ts$|@mianzheng\/crypto$)/);
        if (from === '@mianzheng/crypto') {
          for (const n of names!.split(',').map((s) => s.trim()).filter(Boolean)) expect(ALLOWED_CRYPTO.has(n), `${file} imports ${n} from @mianzheng/crypto`).toBe(true);
        }
      }
      expect(text).not.toMatch(/process\.env/);
    });
  }
  it('the shared date module it may use imports nothing', () => {
    const text = fs.readFileSync(path.resolve(dir, '../../shared/calendar/calendar-date.ts'), 'utf8');
    expect(text).not.toMatch(/^\s*import\s/m);
  });
});
