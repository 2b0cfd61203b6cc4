// Minimal typing of the `qrcode` package used here (no @types/qrcode is installed).
declare module 'qrcode' {
  interface QRCodeOptions { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; margin?: number; width?: number }
  const QRCode: {
    toCanvas(canvas: HTMLCanvasElement, text: string, options?: QRCodeOptions): Promise<void>;
    toDataURL(text: string, options?: QRCodeOptions): Promise<string>;
  };
  export default QRCode;
}
