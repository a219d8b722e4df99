/**
 * One-time links to set a password (the first administrator's set-up link, a password reset link) carry
 * their token in the path. Request logs record only route patterns, but an error message may quote a URL:
 * whatever writes a log line, the token is replaced before the line is written.
 */
const ONE_TIME_LINK = /\/(setup|set-password)\/[A-Za-z0-9_%-]+/g;

export function redactOneTimeLinks(line: string): string {
  return line.includes('/setup/') || line.includes('/set-password/')
    ? line.replace(ONE_TIME_LINK, '/$1/[redacted]')
    : line;
}
