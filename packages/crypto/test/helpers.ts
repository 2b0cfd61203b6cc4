/** Fixed test data (DOMAIN.md vectors) and the implementations every SM2 test runs against. */
import { hexToBytes } from '../src/bytes.js';
import { sm2Ts } from '../src/sm2.js';
import { findNativeSm2, nativeSm2Status } from '../src/sm2-native.js';
import type { Sm2Implementation } from '../src/types.js';

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** GB/T 32918 example as given in DOMAIN.md. */
export const SM2_VECTOR = {
  id: '1234567812345678',
  message: 'message digest',
  d: '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8',
  Px: '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020',
  Py: 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  Z: 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3',
  e: 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640',
  k: '59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21',
  r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
  s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
} as const;

export const vectorPrivateKey = (): Uint8Array => hexToBytes(SM2_VECTOR.d);
export const vectorPublicKey = (): Uint8Array => hexToBytes('04' + SM2_VECTOR.Px + SM2_VECTOR.Py);
export const vectorSignature = (): Uint8Array => hexToBytes(SM2_VECTOR.r + SM2_VECTOR.s);

export const nativeSm2 = findNativeSm2();
export const nativeStatus = nativeSm2Status();

/** Every SM2 implementation available in this process (TS always; native when built). */
export const sm2Implementations: Sm2Implementation[] = nativeSm2 ? [sm2Ts, nativeSm2] : [sm2Ts];
