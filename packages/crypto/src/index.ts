export { CryptoError, type CryptoErrorCode } from './errors.js';
export type { KeyPair, SignOptions, Sm2Implementation } from './types.js';
export { bytesToHex, hexToBytes } from './bytes.js';

export { sm3, hmacSm3, SM3_BYTES } from './sm3.js';
export {
  sm4EncryptBlock,
  sm4DecryptBlock,
  sm4Seal,
  sm4Open,
  generateSm4SealKey,
  SM4_KEY_BYTES,
  SM4_BLOCK_BYTES,
  SM4_SEAL_KEY_BYTES,
} from './sm4.js';

export {
  SM2_CURVE,
  SM2_DEFAULT_ID,
  SM2_PRIVATE_KEY_BYTES,
  SM2_PUBLIC_KEY_BYTES,
  SM2_SIGNATURE_BYTES,
  SM2_MAX_ID_BYTES,
  sm2Ts,
  sm2Z,
  sm2Digest,
  sm2GeneratePrivateKey,
  sm2GenerateKeyPair,
  sm2IsValidPublicKey,
  sm2PublicKeyToHex,
  sm2PublicKeyFromHex,
  sm2CompressPublicKey,
  sm2SignatureToDer,
  sm2SignatureFromDer,
} from './sm2.js';
export { nativeSm2Status, findNativeSm2, type NativeSm2Status } from './sm2-native.js';
export { getSm2Implementation, type Sm2Preference } from './sm2-select.js';

export {
  ed25519GenerateKeyPair,
  ed25519GetPublicKey,
  ed25519Sign,
  ed25519Verify,
  ED25519_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
} from './ed25519.js';

export {
  getSuite,
  findSuite,
  createSm2Suite,
  ed25519Suite,
  SUITE_IDS,
  type SuiteId,
  type SignatureSuite,
  type SuiteOptions,
} from './suites.js';

export { canonicalize, canonicalizeToBytes } from './jcs.js';

export {
  parseIdentityNumber,
  isValidIdentityNumber,
  identityNumberCheckChar,
  parseUscc,
  isValidUscc,
  usccCheckChar,
  parseLicenseIdentifier,
  isValidLicenseIdentifier,
  licenseIdentifierCheckChar,
  buildLicenseIdentifier,
  LICENSE_IDENTIFIER_PREFIX,
  type Sex,
  type IdentityNumberCheck,
  type IdentityNumberError,
  type IdentityNumberOptions,
  type UsccCheck,
  type UsccError,
  type UsccOptions,
  type LicenseIdentifierParts,
  type LicenseIdentifierCheck,
} from './identifiers.js';
