// Reads a PDF back with poppler-utils (pdfinfo, pdftotext, pdffonts), as a person's PDF reader or a checker
// would: always with argument arrays through execFile, never a shell.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function stdout(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

export interface PdfFile {
  path: string;
  /** pdfinfo's fields: "Title", "Tagged", "Pages", "PDF version"… */
  info(): Promise<Record<string, string>>;
  pages(): Promise<number>;
  /** The text of one page (1-based), as `pdftotext -f N -l N` reads it. */
  pageText(page: number): Promise<string>;
  /** Every page's text, in page order. */
  pagesText(): Promise<string[]>;
  fonts(): Promise<PdfFont[]>;
  /** The structure tree with its text, as `pdfinfo -struct-text` prints it. */
  structure(): Promise<string>;
  dispose(): Promise<void>;
}

/** Writes the bytes to a temporary file for poppler to read; dispose() removes it. */
export async function openPdf(bytes: Uint8Array): Promise<PdfFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cpcr-pdf-'));
  const file = path.join(dir, 'document.pdf');
  await writeFile(file, bytes);
  const pdf: PdfFile = {
    path: file,
    async info() {
      const fields: Record<string, string> = {};
      for (const line of (await stdout('pdfinfo', [file])).split('\n')) {
        const at = line.indexOf(':');
        if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      return fields;
    },
    async pages() {
      return Number((await pdf.info())['Pages']);
    },
    pageText(page) {
      return stdout('pdftotext', ['-f', String(page), '-l', String(page), '-enc', 'UTF-8', file, '-']);
    },
    async pagesText() {
      const count = await pdf.pages();
      const texts: string[] = [];
      for (let page = 1; page <= count; page++) texts.push(await pdf.pageText(page));
      return texts;
    },
    async fonts() {
      const lines = (await stdout('pdffonts', [file])).split('\n').slice(2);
      return lines
        .filter((line) => line.trim() !== '')
        .map((line) => {
          // name, type (may hold spaces), encoding, emb, sub, uni, object number, generation
          const parts = line.trim().split(/\s+/);
          const [emb, sub, uni] = parts.slice(-5, -2);
          return {
            name: parts[0]!,
            type: parts.slice(1, -6).join(' '),
            embedded: emb === 'yes',
            subset: sub === 'yes',
            unicode: uni === 'yes',
          };
        });
    },
    async structure() {
      return stdout('pdfinfo', ['-struct-text', file]);
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
  return pdf;
}

/** The quoted text of each structure element, in the structure tree's (reading) order. */
export function structureTexts(structure: string): string[] {
  return [...structure.matchAll(/^\s*"(.*)"$/gm)].map((m) => m[1]!);
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
