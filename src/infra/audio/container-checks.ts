import { open } from 'node:fs/promises';
import { AudioRejectedError } from './errors.ts';

/**
 * Checks of a container's own bookkeeping that ffmpeg does not make: ffmpeg quietly plays what is
 * there, so a WAV whose header promises an hour but whose bytes stop at half an hour, or an Ogg file
 * cut in the middle of a page, decodes without an error. Each check reads at most ~128 KiB.
 *
 * - `complete`: the container says where it ends and the file reaches that point.
 * - `truncated`: the container says more bytes follow than the file has.
 * - `unknown`: the container does not say (a WAV written while streaming leaves its sizes open).
 */
export type EndCheck = 'complete' | 'truncated' | 'unknown';

async function readAt(filePath: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const UNKNOWN_SIZE = 0xffffffff;

/**
 * RIFF / RF64 / BW64 WAVE: walks the chunks at the start of the file to the `data` chunk and checks
 * that all of its declared bytes are present (RF64 keeps the real size in its `ds64` chunk).
 */
export async function checkWavEnd(filePath: string, fileSize: number): Promise<EndCheck> {
  const head = await readAt(filePath, 0, Math.min(fileSize, 64 * 1024));
  if (head.length < 12 || head.toString('latin1', 8, 12) !== 'WAVE') return 'unknown';
  const kind = head.toString('latin1', 0, 4);
  if (kind !== 'RIFF' && kind !== 'RF64' && kind !== 'BW64') return 'unknown';
  let ds64DataSize: number | undefined;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'ds64' && body + 16 <= head.length) {
      ds64DataSize = Number(head.readBigUInt64LE(body + 8));
    }
    if (id === 'data') {
      const dataSize = size === UNKNOWN_SIZE && ds64DataSize !== undefined ? ds64DataSize : size;
      // 0 or 0xFFFFFFFF: written by a recorder that streams and never went back to fill in the size.
      if (dataSize === 0 || dataSize === UNKNOWN_SIZE) return 'unknown';
      return body + dataSize > fileSize ? 'truncated' : 'complete';
    }
    if (size === UNKNOWN_SIZE) return 'unknown';
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  return offset > fileSize ? 'truncated' : 'unknown';
}

/** The longest Ogg page: 27-byte header, 255 lacing values, 255 × 255 bytes of data. */
const MAX_OGG_PAGE = 27 + 255 + 255 * 255;

/**
 * Ogg: the file must end exactly at the end of a whole page carrying the end-of-stream flag, which
 * a writer sets only when it finishes the stream. A file cut anywhere else fails.
 */
export async function checkOggEnd(filePath: string, fileSize: number): Promise<EndCheck> {
  const length = Math.min(fileSize, 2 * MAX_OGG_PAGE);
  const tail = await readAt(filePath, fileSize - length, length);
  for (let i = tail.length - 27; i >= 0; i--) {
    if (tail[i] !== 0x4f || tail.toString('latin1', i, i + 4) !== 'OggS' || tail[i + 4] !== 0) continue;
    const segments = tail[i + 26]!;
    if (i + 27 + segments > tail.length) continue;
    let dataLength = 0;
    for (let s = 0; s < segments; s++) dataLength += tail[i + 27 + s]!;
    if (i + 27 + segments + dataLength !== tail.length) continue;
    const endOfStream = (tail[i + 5]! & 0x04) !== 0;
    return endOfStream ? 'complete' : 'truncated';
  }
  return 'truncated';
}

/** Containers told apart by their first bytes (a few are told apart only by ffprobe, later, when decoded in full). */
export type SniffedContainer = 'wav' | 'aiff' | 'mp3' | 'aac' | 'mp4' | 'webm' | 'ogg' | 'flac' | 'asf' | 'amr' | 'dss';

const ASF_GUID = Buffer.from([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]);
const EBML = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);
/** Top-level MP4 / QuickTime boxes a file may begin with. */
const MP4_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot']);

/**
 * What kind of recording a file is by its first bytes (its magic number), or null when they are not one this
 * service takes. A recognised start is no proof the rest decodes: that is the full decode's job, after the
 * original is stored.
 */
export function sniffContainer(head: Buffer): SniffedContainer | null {
  const ascii = (from: number, to: number) => head.toString('latin1', from, to);
  if (head.length >= 12 && ['RIFF', 'RF64', 'BW64'].includes(ascii(0, 4)) && ascii(8, 12) === 'WAVE') return 'wav';
  if (head.length >= 12 && ascii(0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(8, 12))) return 'aiff';
  if (head.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (head.length >= 4 && ascii(0, 4) === 'fLaC') return 'flac';
  if (head.length >= 4 && head.subarray(0, 4).equals(EBML)) return 'webm';
  if (head.length >= 8 && head.subarray(0, 8).equals(ASF_GUID)) return 'asf';
  if (head.length >= 5 && ascii(0, 5) === '#!AMR') return 'amr';
  if (head.length >= 4 && (ascii(1, 4) === 'dss' || ascii(1, 4) === 'ds2')) return 'dss';
  if (head.length >= 8 && MP4_BOXES.has(ascii(4, 8))) return 'mp4';
  if (head.length >= 4 && ascii(0, 4) === 'ADIF') return 'aac';
  if (head.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    // ADTS AAC: layer bits 00; MPEG audio (MP3, MP2): layer bits set.
    return (head[1]! & 0x06) === 0 ? 'aac' : 'mp3';
  }
  return null;
}

const CUT_SHORT =
  'The recording is incomplete or damaged: its end is missing or part of it cannot be played. It may not have finished copying or uploading. Copy or export it again from where it was made and upload the new copy.';

/**
 * The cheap checks ingest makes before anything is stored (at most ~128 KiB read, nothing decoded): what the file
 * is by its first bytes, and for WAV and Ogg whether it reaches the end its container states. Null when the first
 * bytes are not a recording's (the full decode says why); AudioRejectedError when the container shows the file is
 * cut short, unless `acceptCutEnd` and it is a live recording's WebM or Ogg.
 */
export async function checkContainer(
  filePath: string,
  opts: { acceptCutEnd?: boolean } = {},
): Promise<{ container: SniffedContainer } | null> {
  const fh = await open(filePath, 'r');
  let size: number;
  let head: Buffer;
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(Math.min(size, 64));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const container = sniffContainer(head);
  if (container === null) return null;
  const end =
    container === 'wav'
      ? await checkWavEnd(filePath, size)
      : container === 'ogg'
        ? await checkOggEnd(filePath, size)
        : 'unknown';
  const cutAllowed = opts.acceptCutEnd === true && container === 'ogg';
  if (end === 'truncated' && !cutAllowed) throw new AudioRejectedError('TRUNCATED_OR_CORRUPT', CUT_SHORT);
  return { container };
}
