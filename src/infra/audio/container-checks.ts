import { open } from 'node:fs/promises';

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
