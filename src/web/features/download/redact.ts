/**
 * The download link's token is a secret, and so is a download window (it lets its holder fetch a file for a
 * while): whatever writes a log line (a request log, an error message that quotes a URL, a proxy header), any
 * `/copy/<token>` in it, and the `/download/<window>` after it, is replaced before the line is written.
 * Used as pino's `hooks.streamWrite` by the web app's logger.
 */
const DOWNLOAD_PATH = /\/copy\/[A-Za-z0-9_%-]+(\/download\/[A-Za-z0-9_%.-]+)?/g;

export function redactDownloadTokens(line: string): string {
  return line.includes('/copy/')
    ? line.replace(DOWNLOAD_PATH, (_m, window?: string) => `/copy/[redacted]${window ? '/download/[redacted]' : ''}`)
    : line;
}
