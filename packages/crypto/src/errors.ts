/** Closed set of error codes raised by @mianzheng/crypto (verification never throws). */
export type CryptoErrorCode =
  | 'CRYPTO.INVALID_ARGUMENT'
  | 'CRYPTO.INVALID_KEY'
  | 'CRYPTO.SIGN_FAILED'
  | 'CRYPTO.DECRYPT_FAILED'
  | 'CRYPTO.SUITE_NOT_FOUND'
  | 'CRYPTO.NATIVE_UNAVAILABLE';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CryptoError';
    this.code = code;
  }
}
