/**
 * The authenticator app's key as a QR code, drawn on the server as inline SVG so the set-up page needs no
 * JavaScript. The SVG is hidden from screen readers: the page describes it in text and shows the same key
 * to type in, for anyone who cannot scan.
 */
/** Inline SVG of a QR code holding exactly `uri` (the otpauth:// link), sized by the page's CSS. */
export async function qrCodeSvg(uri: string): Promise<string> {
  // Loaded when someone first sets up an authenticator app, not at start.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  return svg.replace('<svg ', '<svg aria-hidden="true" focusable="false" width="200" height="200" ');
}
