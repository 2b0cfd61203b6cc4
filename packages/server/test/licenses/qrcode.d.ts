// Minimal typing of the `qrcode` package (no @types/qrcode installed), for the QR capacity test.
declare module 'qrcode' {
  const QRCode: { toDataURL(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; margin?: number; width?: number }): Promise<string> };
  export default QRCode;
}
