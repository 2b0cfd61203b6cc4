// Minimal typings for sm-crypto 0.5.8 (dev dependency used only for interop tests and benchmarks).
declare module 'sm-crypto' {
  interface Sm2Options {
    hash?: boolean;
    der?: boolean;
    userId?: string;
    publicKey?: string;
  }
  const smCrypto: {
    sm2: {
      generateKeyPairHex(): { privateKey: string; publicKey: string };
      getPublicKeyFromPrivateKey(privateKey: string): string;
      doSignature(msg: string | number[] | Uint8Array, privateKey: string, options?: Sm2Options): string;
      doVerifySignature(msg: string | number[] | Uint8Array, signHex: string, publicKey: string, options?: Sm2Options): boolean;
    };
  };
  export default smCrypto;
}
