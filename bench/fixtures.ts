// Audio the benchmarks share: a long 48 kHz mono WAV that sounds like a room (pink noise under a tone), broadband so
// the encoder has real work to do.
import { ffmpeg } from '../test/support/audio-fixtures.ts';

export async function roomLikeWav(
  file: string,
  seconds: number,
  opts: { seed: number; toneHz: number },
): Promise<void> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `anoisesrc=d=${seconds}:c=pink:r=48000:a=0.15:seed=${opts.seed}`,
    '-f',
    'lavfi',
    '-i',
    `sine=f=${opts.toneHz}:r=48000:d=${seconds}`,
    '-filter_complex',
    'amix=inputs=2:normalize=0',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    file,
  ]);
}
