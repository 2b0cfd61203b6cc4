import { identityNumberCheckChar, parseIdentityNumber, parseUscc, usccCheckChar } from '@mianzheng/crypto';

/** GB 11714 organization code check character (the 9th character of the code; 10 → X, 11 → 0). */
function organizationCheckChar(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const c = 11 - ([...body8].reduce((sum, d, i) => sum + Number(d) * weights[i]!, 0) % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * All-digit unified social credit codes that are also valid identity numbers, found by search:
 * 9 (registered by 市场监管) 1 (enterprise), region 110119 (北京市延庆区), then a GB 11714
 * organization code of eight digits and its check digit; the GB 32100 check character is
 * computed, and kept only when it is the GB 11643 check character of the same 17 digits. Read
 * as an identity number: region 911101, born 19YY-MM-DD (the region's last two digits and
 * the organization code's first six), sequence and check from the rest.
 */
export function usccsThatAreIdentityNumbers(count: number, month = '03', day = '15'): string[] {
  const out: string[] = [];
  for (let yy = 50; yy < 100 && out.length < count; yy++) {
    for (let n = 0; n < 100 && out.length < count; n++) {
      const body = `${yy}${month}${day}${String(n).padStart(2, '0')}`;
      const organization = body + organizationCheckChar(body);
      if (!/^\d{9}$/.test(organization)) continue;
      const first17 = `91110119${organization}`;
      const check = usccCheckChar(first17);
      if (check === identityNumberCheckChar(first17)) out.push(first17 + check);
    }
  }
  for (const code of out) {
    if (!/^\d{18}$/.test(code) || !parseUscc(code).valid || !parseIdentityNumber(code).valid) throw new Error(`not both: ${code}`);
  }
  if (out.length < count) throw new Error(`found only ${out.length} codes`);
  return out;
}
