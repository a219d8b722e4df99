/** Where a command reads and writes, so the program can be run against something other than the process. */
export interface CliIo {
  /** Results: what a script captures. */
  out(text: string): void;
  /** Diagnostics and errors. */
  err(text: string): void;
  stdin: AsyncIterable<Buffer | string> & { isTTY?: boolean | undefined };
  env: Record<string, string | undefined>;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  stdin: process.stdin,
  env: process.env,
};

/** Far more than any password; stops a mistaken pipe of a large file from being read into memory. */
const STDIN_LIMIT = 64 * 1024;

/** The whole of standard input as UTF-8, with one trailing newline (LF or CRLF) removed. */
export async function readStdin(stdin: CliIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    size += buf.length;
    if (size > STDIN_LIMIT) throw new Error(`standard input is longer than ${STDIN_LIMIT} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Left-aligned columns separated by two spaces, for operators reading a terminal. */
export function table(headings: string[], rows: string[][]): string {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headings), ...rows.map(line)].join('\n') + '\n';
}
