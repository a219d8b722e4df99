/**
 * What kind of document a file is, from its content, never from its name or the browser's claim.
 * Reports to conference are accepted as PDF, Word (.docx, and the older .doc) or OpenDocument text
 * (.odt); macro-enabled documents are refused because they can run code on the reader's computer.
 */
export const DOCUMENT_FORMATS = ['pdf', 'docx', 'doc', 'odt'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const DOCUMENT_MEDIA_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  odt: 'application/vnd.oasis.opendocument.text',
};

export const DOCUMENT_FORMAT_LABELS: Record<DocumentFormat, string> = {
  pdf: 'PDF',
  docx: 'Word document',
  doc: 'Word 97–2003 document',
  odt: 'OpenDocument text',
};

export function formatOfMediaType(mediaType: string | null | undefined): DocumentFormat | null {
  return (
    (Object.keys(DOCUMENT_MEDIA_TYPES) as DocumentFormat[]).find((f) => DOCUMENT_MEDIA_TYPES[f] === mediaType) ?? null
  );
}

export type Detection = { format: DocumentFormat } | { format: null; reason: 'unrecognised' | 'macros' | 'empty' };

const PDF = Buffer.from('%PDF-', 'latin1');
const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const CFB = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

export function detectDocumentFormat(input: Uint8Array): Detection {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length === 0) return { format: null, reason: 'empty' };
  if (bytes.subarray(0, PDF.length).equals(PDF)) return { format: 'pdf' };
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === ZIP_LOCAL) return zipDocument(bytes);
  if (bytes.subarray(0, CFB.length).equals(CFB)) return compoundDocument(bytes);
  return { format: null, reason: 'unrecognised' };
}

/** DOCX and ODT are ZIP packages; the entry names say which, and whether macros are inside. */
function zipDocument(bytes: Buffer): Detection {
  const names = zipEntryNames(bytes);
  if (!names) return { format: null, reason: 'unrecognised' };
  // ODF 1.2 §3.3: the first entry is "mimetype", stored uncompressed, holding the media type exactly.
  if (isOdt(bytes)) {
    if (names.some((n) => n.startsWith('Basic/') || n.startsWith('Scripts/')))
      return { format: null, reason: 'macros' };
    return names.includes('content.xml') ? { format: 'odt' } : { format: null, reason: 'unrecognised' };
  }
  if (names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('word/'))) {
    if (names.some((n) => n.toLowerCase() === 'word/vbaproject.bin')) return { format: null, reason: 'macros' };
    return { format: 'docx' };
  }
  return { format: null, reason: 'unrecognised' };
}

function isOdt(bytes: Buffer): boolean {
  if (bytes.length < 30) return false;
  const method = bytes.readUInt16LE(8);
  const size = bytes.readUInt32LE(18);
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  const name = bytes.subarray(30, 30 + nameLength).toString('latin1');
  const start = 30 + nameLength + extraLength;
  return (
    method === 0 &&
    name === 'mimetype' &&
    size === ODT_MIMETYPE.length &&
    bytes.subarray(start, start + size).toString('latin1') === ODT_MIMETYPE
  );
}

/** Names from the ZIP central directory (found through the end record), or null if it is not a readable ZIP. */
function zipEntryNames(bytes: Buffer): string[] | null {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= lowest; i--) {
    if (bytes.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== ZIP_CENTRAL) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    names.push(bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * A Compound File (OLE2) is a .doc only when it holds a "WordDocument" stream (.xls and .msg use the
 * same container). Directory entries are 128 bytes and always start on a 128-byte boundary after
 * the 512-byte header, so every entry can be checked without following the sector chains.
 */
function compoundDocument(bytes: Buffer): Detection {
  const entries = new Map<string, number>();
  for (let at = 512; at + 128 <= bytes.length; at += 128) {
    const nameLength = bytes.readUInt16LE(at + 64);
    const type = bytes[at + 66];
    if (nameLength < 4 || nameLength > 64 || nameLength % 2 !== 0 || (type !== 1 && type !== 2)) continue;
    if (bytes.readUInt16LE(at + nameLength - 2) !== 0) continue;
    const name = bytes.subarray(at, at + nameLength - 2).toString('utf16le');
    if (name === 'WordDocument' || name === 'Macros' || name === '_VBA_PROJECT_CUR') entries.set(name, type!);
  }
  if (entries.get('WordDocument') !== 2) return { format: null, reason: 'unrecognised' };
  if (entries.has('Macros') || entries.has('_VBA_PROJECT_CUR')) return { format: null, reason: 'macros' };
  return { format: 'doc' };
}
