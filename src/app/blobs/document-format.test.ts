import { describe, expect, it } from 'vitest';
import { PDF_BYTES, docxBytes, odtBytes } from '../../../test/support/convening.ts';
import { zipSync } from '../../../test/support/zip.ts';
import { detectDocumentFormat } from './document-format.ts';

/** A Compound File (OLE2) with one directory entry per name, at 128-byte slots after the 512-byte header. */
function compoundFile(names: Array<[string, 1 | 2]>): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const entries = names.map(([name, type]) => {
    const e = Buffer.alloc(128);
    const n = Buffer.from(`${name}\0`, 'utf16le');
    n.copy(e);
    e.writeUInt16LE(n.length, 64);
    e[66] = type;
    return e;
  });
  return Buffer.concat([header, Buffer.from(Array(128).fill(0)), ...entries]);
}

describe('what a report file is, by its content', () => {
  it('recognises PDF, Word (.docx and .doc) and OpenDocument text', () => {
    expect(detectDocumentFormat(PDF_BYTES)).toEqual({ format: 'pdf' });
    expect(detectDocumentFormat(docxBytes())).toEqual({ format: 'docx' });
    expect(detectDocumentFormat(odtBytes())).toEqual({ format: 'odt' });
    expect(
      detectDocumentFormat(
        compoundFile([
          ['Root Entry', 1],
          ['WordDocument', 2],
          ['1Table', 2],
        ]),
      ),
    ).toEqual({ format: 'doc' });
  });

  it('refuses text, images, other ZIPs and other Office files, whatever they are called', () => {
    expect(detectDocumentFormat(Buffer.from('This is my report.\n'))).toEqual({ format: null, reason: 'unrecognised' });
    expect(detectDocumentFormat(Buffer.from(' %PDF-1.7 not at the start'))).toMatchObject({ format: null });
    expect(detectDocumentFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toMatchObject({
      format: null,
    });
    expect(detectDocumentFormat(zipSync({ 'notes.txt': 'hello' }))).toMatchObject({
      format: null,
      reason: 'unrecognised',
    });
    expect(
      detectDocumentFormat(zipSync({ '[Content_Types].xml': '<Types/>', 'xl/workbook.xml': '<workbook/>' })),
    ).toMatchObject({ format: null });
    expect(
      detectDocumentFormat(
        zipSync({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' }),
      ),
    ).toMatchObject({ format: null });
    expect(
      detectDocumentFormat(
        compoundFile([
          ['Root Entry', 1],
          ['Workbook', 2],
        ]),
      ),
    ).toMatchObject({ format: null, reason: 'unrecognised' });
    expect(detectDocumentFormat(Buffer.alloc(0))).toEqual({ format: null, reason: 'empty' });
  });

  it('refuses documents with macros', () => {
    expect(detectDocumentFormat(docxBytes({ 'word/vbaProject.bin': 'x' }))).toEqual({ format: null, reason: 'macros' });
    expect(
      detectDocumentFormat(
        compoundFile([
          ['Root Entry', 1],
          ['WordDocument', 2],
          ['Macros', 1],
        ]),
      ),
    ).toEqual({ format: null, reason: 'macros' });
    expect(
      detectDocumentFormat(
        zipSync({
          mimetype: 'application/vnd.oasis.opendocument.text',
          'content.xml': '<x/>',
          'Basic/Standard/Module1.xml': '<m/>',
        }),
      ),
    ).toEqual({ format: null, reason: 'macros' });
  });

  it('refuses a truncated ZIP without reading past the end', () => {
    const docx = docxBytes();
    expect(detectDocumentFormat(docx.subarray(0, docx.length - 30))).toMatchObject({ format: null });
    expect(detectDocumentFormat(docx.subarray(0, 10))).toMatchObject({ format: null });
  });
});
