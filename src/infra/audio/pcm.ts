/**
 * The one timeline every derived file shares.
 *
 * A position in a recording (a break, a withheld range chosen while listening) is a time on the
 * recording's *decoded* timeline: the samples ffmpeg decodes from its first audio track, counted from
 * the first one. The playback copy, the waveform peaks and every disclosure copy are made with the
 * same decoding options below, so a time picked while listening to the playback copy is the same
 * sample in a disclosure copy (A-3's "information the requester must not hear").
 */
export const WORKING_SAMPLE_RATE = 48_000;

/**
 * Output options that take the first audio track to mono at `sampleRate`:
 * - `-map 0:a:0`: the first audio track, the one the probe checked; video, subtitles and data
 *   tracks are never read into the output.
 * - `-ac 1`: mixed to mono. A conference record is speech; one channel halves the work, and in a
 *   disclosure copy nothing can survive in a channel that was not checked.
 * - `-ar`: resampled by ffmpeg's resampler, which keeps the start aligned (no added delay), so the
 *   decoded timeline above is the same at any rate.
 */
export function monoDecodeOptions(sampleRate: number = WORKING_SAMPLE_RATE): string[] {
  return ['-map', '0:a:0', '-ac', '1', '-ar', String(sampleRate)];
}

/**
 * Output options for raw signed 16-bit little-endian samples on stdout (`-f s16le pipe:1`): no
 * container, so the bytes are exactly the samples, 2 per sample per channel.
 */
export const RAW_S16LE_TO_STDOUT = ['-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1'] as const;

/**
 * MP3 encoding for every copy that leaves the service or plays in the browser (A-6: an MP3):
 * - `-c:a libmp3lame -b:a 64k`: LAME at a constant 64 kb/s. At 48 kHz every MPEG-1 Layer III frame is
 *   then exactly 192 bytes (144 × 64000 / 48000, never a padding byte), so a byte offset is a time
 *   and the browser seeks accurately with HTTP Range requests; 64 kb/s mono is clear for speech.
 * - `-write_xing 1`: the first frame is an "Info" header with the frame count and LAME's encoder
 *   delay and padding, which ffmpeg's and browsers' decoders use to drop the priming samples the
 *   encoder adds (576 + 529 decoder delay) and the padding at the end: decoded, the file starts and
 *   ends on the same sample as its source (checked by the redaction tests).
 * - `-id3v2_version 0`: no ID3 tag; `-map_metadata -1 -map_chapters -1`: no titles, names or
 *   chapters copied from the source into a copy.
 * - `-fflags +bitexact -flags +bitexact`: no encoder version strings, so the same input gives the
 *   same bytes (and the same SHA-256) on every run.
 */
export const MP3_CBR_64K = [
  '-c:a',
  'libmp3lame',
  '-b:a',
  '64k',
  '-write_xing',
  '1',
  '-id3v2_version',
  '0',
  '-map_metadata',
  '-1',
  '-map_chapters',
  '-1',
  '-fflags',
  '+bitexact',
  '-flags',
  '+bitexact',
  '-f',
  'mp3',
] as const;
