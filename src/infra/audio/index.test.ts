import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureDir, fixtureDir, toneWav } from '../../../test/support/audio-fixtures.ts';
import { createAudioToolkit } from './index.ts';

let fx: FixtureDir;
beforeAll(async () => {
  fx = await fixtureDir('cpcr-toolkit-');
  await toneWav(fx.file('tone.wav'), { seconds: 2 });
});
afterAll(async () => {
  await fx?.cleanup();
});

describe('createAudioToolkit', () => {
  it('uses the programs it was given', async () => {
    const toolkit = createAudioToolkit({ ffprobe: '/usr/bin/no-such-ffprobe', espeakNg: '/usr/bin/no-such-espeak' });
    await expect(toolkit.probe(fx.file('tone.wav'))).rejects.toMatchObject({ code: 'TOOL_MISSING' });
    expect(await toolkit.speechAvailable()).toBe(false);
    await expect(
      toolkit.makeRedactedCopy({
        input: fx.file('tone.wav'),
        output: fx.file('out.mp3'),
        withheld: [],
        fill: 'silence',
        notice: { kind: 'speech', text: 'Withheld.' },
      }),
    ).rejects.toMatchObject({ code: 'TOOL_MISSING' });
  });

  it('works end to end with the default programs', async () => {
    const toolkit = createAudioToolkit();
    expect((await toolkit.probe(fx.file('tone.wav'))).durationMs).toBe(2000);
    expect(await toolkit.computePeaks(fx.file('tone.wav'), { peaksPerSecond: 4 })).toHaveLength(8);
  });
});
