import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureDir, encode, fixtureDir, toneWav } from '../../../test/support/audio-fixtures.ts';
import { checkContainer, checkOggEnd, checkWavEnd, sniffContainer } from './container-checks.ts';

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-containers-');
});
afterAll(async () => {
  await fx?.cleanup();
});

async function check(fn: typeof checkWavEnd, bytes: Buffer): Promise<string> {
  const file = fx.file(`c-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, bytes);
  return fn(file, bytes.length);
}

function chunk(id: string, body: Buffer, declared = body.length): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(declared >>> 0, 4);
  return Buffer.concat([head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function wave(kind: string, chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write(kind, 0, 'latin1');
  head.writeUInt32LE(kind === 'RIFF' ? body.length : 0xffffffff, 4);
  return Buffer.concat([head, body]);
}

const fmt = chunk('fmt ', Buffer.alloc(16));

describe('checkWavEnd', () => {
  it('finds the data chunk after others and compares its declared size with the file', async () => {
    const data = Buffer.alloc(1000, 7);
    expect(await check(checkWavEnd, wave('RIFF', [fmt, chunk('LIST', Buffer.alloc(30)), chunk('data', data)]))).toBe(
      'complete',
    );
    expect(await check(checkWavEnd, wave('RIFF', [fmt, chunk('data', data.subarray(0, 600), 1000)]))).toBe('truncated');
    // Trailing chunks after the data are allowed.
    expect(await check(checkWavEnd, wave('RIFF', [fmt, chunk('data', data), chunk('id3 ', Buffer.alloc(10))]))).toBe(
      'complete',
    );
  });

  it('says unknown when a streaming writer left the size open', async () => {
    expect(await check(checkWavEnd, wave('RIFF', [fmt, chunk('data', Buffer.alloc(100), 0xffffffff)]))).toBe('unknown');
    expect(await check(checkWavEnd, wave('RIFF', [fmt, chunk('data', Buffer.alloc(100), 0)]))).toBe('unknown');
  });

  it('reads RF64 sizes from the ds64 chunk', async () => {
    const ds64 = (dataSize: number): Buffer => {
      const b = Buffer.alloc(28);
      b.writeBigUInt64LE(BigInt(dataSize), 8);
      return chunk('ds64', b);
    };
    const data = Buffer.alloc(500);
    expect(await check(checkWavEnd, wave('RF64', [ds64(500), fmt, chunk('data', data, 0xffffffff)]))).toBe('complete');
    expect(await check(checkWavEnd, wave('RF64', [ds64(5000), fmt, chunk('data', data, 0xffffffff)]))).toBe(
      'truncated',
    );
  });

  it('says unknown for anything that is not a WAVE file', async () => {
    expect(await check(checkWavEnd, Buffer.from('ID3 not a wave file at all'))).toBe('unknown');
  });

  it('agrees with ffmpeg’s own WAV files', async () => {
    const wav = await toneWav(fx.file('tone.wav'), { seconds: 1 });
    const bytes = await readFile(wav);
    expect(await check(checkWavEnd, bytes)).toBe('complete');
    expect(await check(checkWavEnd, bytes.subarray(0, bytes.length - 2))).toBe('truncated');
  });
});

function oggPage(data: Buffer, flags: number): Buffer {
  const lacing: number[] = [];
  let left = data.length;
  while (left >= 255) {
    lacing.push(255);
    left -= 255;
  }
  lacing.push(left);
  const head = Buffer.alloc(27);
  head.write('OggS', 0, 'latin1');
  head[4] = 0;
  head[5] = flags;
  head[26] = lacing.length;
  return Buffer.concat([head, Buffer.from(lacing), data]);
}

describe('checkOggEnd', () => {
  const BOS = 0x02;
  const EOS = 0x04;
  const pages = [
    oggPage(Buffer.alloc(19, 1), BOS),
    oggPage(Buffer.alloc(700, 2), 0),
    oggPage(Buffer.alloc(300, 3), EOS),
  ];

  it('is complete when the file ends with a whole page marked end-of-stream', async () => {
    expect(await check(checkOggEnd, Buffer.concat(pages))).toBe('complete');
  });

  it('is truncated when cut inside a page, or after a page that is not the last', async () => {
    const all = Buffer.concat(pages);
    expect(await check(checkOggEnd, all.subarray(0, all.length - 1))).toBe('truncated');
    expect(await check(checkOggEnd, Buffer.concat(pages.slice(0, 2)))).toBe('truncated');
    // Page data that happens to contain "OggS" does not fool it.
    const tricky = oggPage(Buffer.concat([Buffer.from('OggS', 'latin1'), Buffer.alloc(50)]), 0);
    expect(await check(checkOggEnd, Buffer.concat([pages[0]!, tricky]))).toBe('truncated');
  });

  it('agrees with ffmpeg’s own Ogg files', async () => {
    const wav = await toneWav(fx.file('tone2.wav'), { seconds: 2 });
    const ogg = await encode(wav, fx.file('tone.ogg'), ['-c:a', 'libopus']);
    const bytes = await readFile(ogg);
    expect(await check(checkOggEnd, bytes)).toBe('complete');
    expect(await check(checkOggEnd, bytes.subarray(0, Math.floor(bytes.length * 0.7)))).toBe('truncated');
  });
});

describe('checkContainer: the cheap checks ingest makes before anything is stored', () => {
  async function file(bytes: Buffer): Promise<string> {
    const f = fx.file(`k-${Math.random().toString(36).slice(2)}`);
    await writeFile(f, bytes);
    return f;
  }

  it('knows a recording by its first bytes, and nothing else', async () => {
    const wav = await readFile(await toneWav(fx.file('sniff.wav'), { seconds: 1 }));
    expect(await checkContainer(await file(wav))).toEqual({ container: 'wav' });
    expect(sniffContainer(Buffer.from('OggS\0\x02'))).toBe('ogg');
    expect(sniffContainer(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x01]))).toBe('webm');
    expect(sniffContainer(Buffer.from('\0\0\0\x20ftypM4A '))).toBe('mp4');
    expect(sniffContainer(Buffer.from('ID3\x04\0'))).toBe('mp3');
    expect(sniffContainer(Buffer.from([0xff, 0xfb, 0x90, 0x00]))).toBe('mp3');
    expect(sniffContainer(Buffer.from([0xff, 0xf1, 0x50, 0x80]))).toBe('aac');
    // Notes named .mp3, a PDF: not recognised, so ingest decodes them in full to say why they are refused.
    expect(await checkContainer(await file(Buffer.from('Minutes of the meeting\n')))).toBeNull();
    expect(sniffContainer(Buffer.from('%PDF-1.7'))).toBeNull();
    expect(sniffContainer(Buffer.alloc(0))).toBeNull();
  });

  it('refuses a WAV cut short of the end its header states; a live Ogg cut short only when a cut end is accepted', async () => {
    const wav = await readFile(await toneWav(fx.file('cut.wav'), { seconds: 1 }));
    await expect(checkContainer(await file(wav.subarray(0, wav.length - 1000)))).rejects.toMatchObject({
      code: 'TRUNCATED_OR_CORRUPT',
    });
    const ogg = fx.file('cut.ogg');
    await encode(await toneWav(fx.file('cut-src.wav'), { seconds: 2 }), ogg, ['-c:a', 'libopus']);
    const cut = await file((await readFile(ogg)).subarray(0, 3000));
    await expect(checkContainer(cut)).rejects.toMatchObject({ code: 'TRUNCATED_OR_CORRUPT' });
    expect(await checkContainer(cut, { acceptCutEnd: true })).toEqual({ container: 'ogg' });
  });
});
