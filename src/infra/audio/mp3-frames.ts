/**
 * MPEG audio Layer III frames, read from the bytes: enough to copy whole frames of an MP3 from one
 * file into another (mp3-splice.ts) and to write the Info / LAME header that tells decoders how many
 * samples the result holds.
 *
 * A frame is a 4-byte header (sync, version, layer, bitrate, sample rate, padding, channels), an
 * optional 2-byte CRC, the side info (17 bytes for MPEG-1 mono, 32 stereo; 9 / 17 for MPEG-2 and
 * 2.5) and the main data. The side info's first field, main_data_begin, says how many bytes before
 * this frame its main data starts (the bit reservoir): only when it is 0 in every frame does each
 * frame stand alone, so that it can be copied next to frames of another encoding.
 */

const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1];
const MPEG1_RATES = [44_100, 48_000, 32_000];

export interface FrameHeader {
  /** 1 for MPEG-1, 2 for MPEG-2, 2.5 for MPEG-2.5. */
  version: 1 | 2 | 2.5;
  bitrateKbps: number;
  sampleRate: number;
  padding: boolean;
  mono: boolean;
  /** A 2-byte CRC follows the header. */
  crc: boolean;
  /** Bytes, header included. */
  length: number;
  /** Samples per channel the frame decodes to: 1152 for MPEG-1, 576 otherwise. */
  samples: number;
  /** Where the side info starts, from the frame's first byte. */
  sideInfoOffset: number;
  sideInfoLength: number;
}

/**
 * The Layer III frame header at `offset`, or undefined when the bytes there are not one: no sync, a
 * reserved version, sample rate or bitrate, another layer, or free format (bitrate index 0, whose
 * frame length cannot be known from the header).
 */
export function parseFrameHeader(buf: Uint8Array, offset: number): FrameHeader | undefined {
  if (offset + 4 > buf.length) return undefined;
  const b1 = buf[offset + 1]!;
  const b2 = buf[offset + 2]!;
  const b3 = buf[offset + 3]!;
  if (buf[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b1 >> 3) & 3;
  if (versionBits === 1 || ((b1 >> 1) & 3) !== 1) return undefined;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const bitrateKbps = (version === 1 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[b2 >> 4]!;
  const rateIndex = (b2 >> 2) & 3;
  if (bitrateKbps <= 0 || rateIndex === 3) return undefined;
  const sampleRate = MPEG1_RATES[rateIndex]! / (version === 1 ? 1 : version === 2 ? 2 : 4);
  const padding = ((b2 >> 1) & 1) === 1;
  const mono = b3 >> 6 === 3;
  const crc = (b1 & 1) === 0;
  const samples = version === 1 ? 1152 : 576;
  const length = Math.floor(((samples / 8) * bitrateKbps * 1000) / sampleRate) + (padding ? 1 : 0);
  const sideInfoLength = version === 1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return {
    version,
    bitrateKbps,
    sampleRate,
    padding,
    mono,
    crc,
    length,
    samples,
    sideInfoOffset: crc ? 6 : 4,
    sideInfoLength,
  };
}

/** main_data_begin of the frame at `offset` (9 bits in MPEG-1, 8 otherwise): 0 when it does not use the bit reservoir. */
export function mainDataBegin(buf: Uint8Array, offset: number, header: FrameHeader): number {
  const at = offset + header.sideInfoOffset;
  return header.version === 1 ? (buf[at]! << 1) | (buf[at + 1]! >> 7) : buf[at]!;
}

/** The Xing / Info header and the LAME tag after it, as an encoder wrote them into the first frame. */
export interface InfoTag {
  /** "Xing" (VBR) or "Info" (CBR). */
  kind: 'Xing' | 'Info';
  /** Audio frames after the header frame, when stated. */
  frames: number | undefined;
  /** Offset of "Xing" / "Info" in the frame. */
  tagOffset: number;
  /** The LAME tag, when present: where it starts in the frame, and the encoder delay and end padding it states. */
  lame: { offset: number; delay: number; padding: number } | undefined;
}

/** The Info / Xing header in the frame at `offset`, if it is one (a frame that decodes to nothing). */
export function parseInfoTag(buf: Uint8Array, offset: number, header: FrameHeader): InfoTag | undefined {
  const tagOffset = header.sideInfoOffset + header.sideInfoLength;
  const at = offset + tagOffset;
  if (at + 8 > offset + header.length) return undefined;
  const kind = String.fromCharCode(buf[at]!, buf[at + 1]!, buf[at + 2]!, buf[at + 3]!);
  if (kind !== 'Xing' && kind !== 'Info') return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const flags = view.getUint32(at + 4);
  let p = at + 8;
  let frames: number | undefined;
  if (flags & 1) {
    frames = view.getUint32(p);
    p += 4;
  }
  if (flags & 2) p += 4;
  if (flags & 4) p += 100;
  if (flags & 8) p += 4;
  let lame: InfoTag['lame'];
  if (p + 36 <= offset + header.length && buf[p] !== 0) {
    const d = p + 21;
    lame = {
      offset: p - offset,
      delay: (buf[d]! << 4) | (buf[d + 1]! >> 4),
      padding: ((buf[d + 1]! & 0x0f) << 8) | buf[d + 2]!,
    };
  }
  return { kind, frames, tagOffset, lame };
}

/** An MP3 file, frame by frame. */
export interface Mp3Layout {
  /** The Info / Xing frame at the start, if any: its offset, header and tag. */
  info: { offset: number; header: FrameHeader; tag: InfoTag } | undefined;
  /** Byte offset of every audio frame, in order (the Info frame not included). */
  frameOffsets: number[];
  /** The first audio frame's header. */
  first: FrameHeader;
  /** Every audio frame has the same version, bitrate, sample rate, padding, channels and CRC flag. */
  uniform: boolean;
  /** Some frame's main_data_begin is not 0: its frames depend on the ones before them. */
  usesReservoir: boolean;
  /** Bytes before the first frame (an ID3v2 tag) and after the last (ID3v1, APE, junk). */
  leadingBytes: number;
  trailingBytes: number;
}

/**
 * Every frame of an MP3 held in `buf`, from its first frame header to the last whole frame; an
 * ID3v2 tag at the start is stepped over. Throws when no frame is found, or the frames stop short of
 * the end of the file before a final tag (a damaged or not-MP3 file): the caller then does not
 * splice it.
 */
export function scanMp3(buf: Uint8Array): Mp3Layout {
  let offset = 0;
  if (buf.length >= 10 && buf[0] === 0x49 && buf[1] === 0x44 && buf[2] === 0x33) {
    const size = ((buf[6]! & 0x7f) << 21) | ((buf[7]! & 0x7f) << 14) | ((buf[8]! & 0x7f) << 7) | (buf[9]! & 0x7f);
    offset = 10 + size + (buf[5]! & 0x10 ? 10 : 0);
  }
  const leadingBytes = offset;
  const first = parseFrameHeader(buf, offset);
  if (!first || offset + first.length > buf.length) throw new Error('No MPEG audio frame at the start of the file');
  let info: Mp3Layout['info'];
  const tag = parseInfoTag(buf, offset, first);
  if (tag) {
    info = { offset, header: first, tag };
    offset += first.length;
  }
  const frameOffsets: number[] = [];
  let firstAudio: FrameHeader | undefined;
  let uniform = true;
  let usesReservoir = false;
  const firstBytes = [0, 0];
  while (offset + 4 <= buf.length) {
    const header = parseFrameHeader(buf, offset);
    if (!header || offset + header.length > buf.length) break;
    if (!firstAudio) {
      firstAudio = header;
      firstBytes[0] = buf[offset + 1]!;
      firstBytes[1] = buf[offset + 3]! & 0xc0;
    } else if (
      header.length !== firstAudio.length ||
      buf[offset + 1] !== firstBytes[0] ||
      (buf[offset + 3]! & 0xc0) !== firstBytes[1] ||
      header.bitrateKbps !== firstAudio.bitrateKbps ||
      header.sampleRate !== firstAudio.sampleRate
    ) {
      uniform = false;
    }
    if (mainDataBegin(buf, offset, header) !== 0) usesReservoir = true;
    frameOffsets.push(offset);
    offset += header.length;
  }
  if (!firstAudio) throw new Error('The file holds no MPEG audio frames');
  return {
    info,
    frameOffsets,
    first: firstAudio,
    uniform,
    usesReservoir,
    leadingBytes,
    trailingBytes: buf.length - offset,
  };
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-16 (polynomial 0x8005, reflected, as the LAME tag uses for its own and the music CRC), continued from `crc`. */
export function crc16(bytes: Uint8Array, crc = 0): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = (c >>> 8) ^ CRC16_TABLE[(c ^ bytes[i]!) & 0xff]!;
  return c;
}

/**
 * A new Info header frame, made from `template` (an Info frame with a LAME tag, as ffmpeg writes with
 * `-write_xing 1`) with the frame count, byte count, table of contents, encoder delay and end
 * padding, music length and both CRCs of the file it will head. `frameOffsets` are the audio frames'
 * offsets from the start of the audio (the byte after this frame); `audioCrc` is crc16 over them.
 */
export function infoFrame(args: {
  template: Uint8Array;
  header: FrameHeader;
  tag: InfoTag;
  frames: number;
  audioBytes: number;
  frameOffsets: readonly number[];
  delay: number;
  padding: number;
  audioCrc: number;
}): Buffer {
  const { tag, header } = args;
  if (!tag.lame) throw new Error('The Info header has no LAME tag');
  if (args.delay < 0 || args.delay > 4095 || args.padding < 0 || args.padding > 4095)
    throw new Error('Encoder delay and padding must each fit in 12 bits');
  const frame = Buffer.from(args.template.subarray(0, header.length));
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const total = header.length + args.audioBytes;
  let p = tag.tagOffset + 4;
  view.setUint32(p, 0x0f); // frames, bytes, table of contents, quality
  const flagsAt = p;
  p += 4;
  view.setUint32(p, args.frames);
  p += 4;
  view.setUint32(p, total);
  p += 4;
  for (let i = 0; i < 100; i++) {
    const k = Math.min(args.frames - 1, Math.floor((i * args.frames) / 100));
    frame[p + i] = Math.min(255, Math.floor((256 * (header.length + (args.frameOffsets[k] ?? 0))) / total));
  }
  p += 100;
  p += 4; // quality, as the encoder wrote it
  if (p !== tag.lame.offset || view.getUint32(flagsAt) !== 0x0f) throw new Error('Unexpected Info header layout');
  const d = p + 21;
  frame[d] = args.delay >> 4;
  frame[d + 1] = ((args.delay & 0x0f) << 4) | (args.padding >> 8);
  frame[d + 2] = args.padding & 0xff;
  view.setUint32(p + 28, total);
  view.setUint16(p + 32, args.audioCrc);
  // As ffmpeg's muxer computes it: over the frame's first 190 bytes, this field still 0.
  view.setUint16(p + 34, 0);
  view.setUint16(p + 34, crc16(frame.subarray(0, Math.min(190, frame.length))));
  return frame;
}
