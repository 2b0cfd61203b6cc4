import { describe, expect, it } from 'vitest';
import {
  buildLicenseIdentifier,
  identityNumberCheckChar,
  isValidIdentityNumber,
  isValidLicenseIdentifier,
  isValidUscc,
  licenseIdentifierCheckChar,
  parseIdentityNumber,
  parseLicenseIdentifier,
  parseUscc,
  usccCheckChar,
} from '../src/identifiers.js';

/** Seeded PRNG (mulberry32) so property-style checks are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (alphabet: string, random: () => number): string => alphabet[Math.floor(random() * alphabet.length)]!;
const randomString = (alphabet: string, length: number, random: () => number): string =>
  Array.from({ length }, () => pick(alphabet, random)).join('');

/** Every single-character substitution of `value` (at the positions given) must be rejected. */
function substitutions(value: string, alphabet: string, positions: number[]): string[] {
  const out: string[] = [];
  for (const i of positions) for (const c of alphabet) if (c !== value[i]) out.push(value.slice(0, i) + c + value.slice(i + 1));
  return out;
}

describe('GB 11643 identity number', () => {
  it('accepts the DOMAIN.md examples and reads birth date and sex', () => {
    expect(parseIdentityNumber('11010519491231002X')).toEqual({
      valid: true,
      value: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
      checkChar: 'X',
    });
    expect(parseIdentityNumber('440524188001010014')).toMatchObject({ valid: true, birthDate: '1880-01-01', sex: 'male' });
  });

  it('computes the check character', () => {
    expect(identityNumberCheckChar('11010519491231002')).toBe('X');
    expect(identityNumberCheckChar('44052418800101001')).toBe('4');
    expect(() => identityNumberCheckChar('1101051949123100')).toThrow(TypeError);
  });

  it('accepts a lower-case x and normalises it', () => {
    expect(parseIdentityNumber('11010519491231002x')).toMatchObject({ valid: true, value: '11010519491231002X' });
  });

  it('reports a wrong check character with the expected one', () => {
    expect(parseIdentityNumber('110105194912310021')).toEqual({ valid: false, error: 'CHECK_CHAR', expectedCheckChar: 'X' });
    expect(isValidIdentityNumber('440524188001010015')).toBe(false);
  });

  it('rejects malformed numbers and impossible birth dates', () => {
    for (const bad of ['', '11010519491231002', '1101051949123100233', '11010519491231002Y', '01010519491231002X', '1101051949123 002X']) {
      expect(parseIdentityNumber(bad)).toMatchObject({ valid: false, error: 'FORMAT' });
    }
    const withDate = (date: string): string => {
      const body = `110105${date}002`;
      return body + identityNumberCheckChar(body);
    };
    for (const date of ['19490230', '19491301', '19490000', '17991231', '20230229']) {
      expect(parseIdentityNumber(withDate(date))).toMatchObject({ valid: false, error: 'BIRTH_DATE' });
    }
    expect(parseIdentityNumber(withDate('20240229'))).toMatchObject({ valid: true, birthDate: '2024-02-29' });
    expect(parseIdentityNumber(withDate('20300101'), { today: '2026-01-01' })).toMatchObject({ error: 'BIRTH_DATE' });
    expect(parseIdentityNumber(withDate('20260101'), { today: '2026-01-01' })).toMatchObject({ valid: true });
  });

  it('detects every single-digit substitution (seeded sample)', () => {
    const random = rng(11643);
    for (let n = 0; n < 50; n++) {
      const body = `${pick('123456789', random)}${randomString('0123456789', 5, random)}19900101${randomString('0123456789', 3, random)}`;
      const value = body + identityNumberCheckChar(body);
      expect(isValidIdentityNumber(value)).toBe(true);
      for (const bad of substitutions(value, '0123456789X', [0, 3, 9, 14, 15, 16, 17])) {
        expect(parseIdentityNumber(bad).valid).toBe(false);
      }
    }
  });
});

describe('GB 32100 unified social credit code', () => {
  it('accepts the DOMAIN.md examples and splits them', () => {
    expect(parseUscc('11100000000013338W')).toEqual({
      valid: true,
      value: '11100000000013338W',
      registrationAuthority: '1',
      entityType: '1',
      regionCode: '100000',
      organizationCode: '000013338',
      checkChar: 'W',
      warnings: [],
    });
    expect(isValidUscc('11220000013544541J')).toBe(true);
  });

  it('computes the check character, mapping 31 to 0', () => {
    expect(usccCheckChar('11100000000013338')).toBe('W');
    expect(usccCheckChar('11220000013544541')).toBe('J');
    expect(usccCheckChar('00000000000000000')).toBe('0');
    expect(() => usccCheckChar('1110000000001333I')).toThrow(TypeError);
  });

  it('rejects a wrong check character, unless the operator allows it with a warning', () => {
    expect(parseUscc('11100000000013338X')).toEqual({ valid: false, error: 'CHECK_CHAR', expectedCheckChar: 'W' });
    expect(parseUscc('11100000000013338X', { allowBadCheckChar: true })).toMatchObject({
      valid: true,
      checkChar: 'X',
      warnings: ['CHECK_CHAR_MISMATCH'],
    });
  });

  it('rejects characters outside the alphabet (I O S V Z) and wrong lengths', () => {
    for (const bad of ['11100000000013338', '11100000000013338WW', 'I1100000000013338W', '1110000000001333OW', '11100000000013338S', '1110000000001333VW', '11100000000013338Z']) {
      expect(parseUscc(bad)).toMatchObject({ valid: false, error: 'FORMAT' });
      expect(parseUscc(bad, { allowBadCheckChar: true }).valid).toBe(false);
    }
  });

  it('detects every single-character substitution (seeded sample)', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const random = rng(32100);
    for (let n = 0; n < 30; n++) {
      const body = randomString(alphabet, 17, random);
      const value = body + usccCheckChar(body);
      expect(isValidUscc(value)).toBe(true);
      for (const bad of substitutions(value, alphabet, [0, 5, 11, 16, 17])) expect(isValidUscc(bad)).toBe(false);
    }
  });
});

describe('GB/T 36904 e-license identifier', () => {
  const example = '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U';
  const parts = {
    licenseTypeCode: '11100000000013338W011',
    issuerCode: '11430000006122244L',
    serialNumber: '20230000403',
    version: '001',
  };

  it('parses the DOMAIN.md example', () => {
    expect(parseLicenseIdentifier(example)).toEqual({
      wellFormed: true,
      value: example,
      parts,
      definingAgencyCode: '11100000000013338W',
      typeSequence: '011',
      checkChar: 'U',
      expectedCheckChar: 'U',
      checkCharValid: true,
      definingAgencyCodeValid: true,
      issuerCodeValid: true,
    });
    expect(isValidLicenseIdentifier(example)).toBe(true);
  });

  it('computes MOD 37,36 and builds the identifier', () => {
    expect(licenseIdentifierCheckChar(parts)).toBe('U');
    expect(buildLicenseIdentifier(parts)).toBe(example);
    expect(() => buildLicenseIdentifier({ ...parts, version: '1' })).toThrow(TypeError);
  });

  it('reports (does not reject) a wrong check character', () => {
    const wrong = example.slice(0, -1) + 'V';
    expect(parseLicenseIdentifier(wrong)).toMatchObject({ wellFormed: true, checkChar: 'V', expectedCheckChar: 'U', checkCharValid: false });
    expect(isValidLicenseIdentifier(wrong)).toBe(false);
  });

  it('reports embedded USCCs with bad check characters', () => {
    const id = buildLicenseIdentifier({ ...parts, issuerCode: '11430000006122244M' });
    expect(parseLicenseIdentifier(id)).toMatchObject({ wellFormed: true, checkCharValid: true, issuerCodeValid: false, definingAgencyCodeValid: true });
  });

  it('rejects malformed identifiers with the failing segment', () => {
    const cases: Array<[string, string]> = [
      ['1.2.156.3005.3.11100000000013338W011.11430000006122244L.20230000403.001.U', 'PREFIX'],
      ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.U', 'SEGMENTS'],
      ['1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U', 'LICENSE_TYPE_CODE'],
      ['1.2.156.3005.2.11100000000013338W011.1143000000612224L.20230000403.001.U', 'ISSUER_CODE'],
      ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023abc.001.U', 'SERIAL_NUMBER'],
      ['1.2.156.3005.2.11100000000013338W011.11430000006122244L..001.U', 'SERIAL_NUMBER'],
      ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01.U', 'VERSION'],
      ['1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.u', 'CHECK_CHAR_FORMAT'],
    ];
    for (const [value, error] of cases) expect(parseLicenseIdentifier(value)).toEqual({ wellFormed: false, error });
  });

  it('detects every single-character substitution in the middle segments (seeded sample)', () => {
    const random = rng(36904);
    const A = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (let n = 0; n < 20; n++) {
      const id = buildLicenseIdentifier({ ...parts, serialNumber: randomString(A, 12, random) });
      const serialStart = id.split('.').slice(0, 7).join('.').length + 1; // after prefix, type code, issuer
      const versionEnd = id.length - 3; // last digit of the version, before ".C"
      expect(isValidLicenseIdentifier(id)).toBe(true);
      for (const bad of substitutions(id, A, [serialStart, serialStart + 5, serialStart + 11, versionEnd, id.length - 1])) {
        expect(isValidLicenseIdentifier(bad)).toBe(false);
      }
    }
  });
});
