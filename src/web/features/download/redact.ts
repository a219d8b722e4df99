/**
 * The download link's token is a secret: whatever writes a log line (a request log, an error message
 * that quotes a URL, a proxy header), any `/copy/<token>` in it is replaced before the line is written.
 * Used as pino's `hooks.streamWrite` by the web app's logger.
 */
const DOWNLOAD_PATH = /\/copy\/[A-Za-z0-9_%-]+/g;

export function redactDownloadTokens(line: string): string {
  return line.includes('/copy/') ? line.replace(DOWNLOAD_PATH, '/copy/[redacted]') : line;
}
