/**
 * An ID3v2.4 tag for the front of a disclosure copy's MP3: the title, the written
 * notice, the explanatory statement and what the copy was made from, as UTF-8 text frames. Players
 * show them; decoders skip the tag, so the audio (and its sample-exact timeline) is unchanged.
 */

export interface Id3Text {
  title: string;
  /** COMM: shown by most players as the comment. */
  comment: string;
  /** TXXX frames: description → value. */
  extra: Array<[string, string]>;
}

const UTF8 = 0x03;

function syncsafe(n: number): Buffer {
  if (n >= 2 ** 28) throw new Error('An ID3 tag cannot be this large');
  return Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
}

function frame(id: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id, 'latin1'), syncsafe(body.length), Buffer.from([0, 0]), body]);
}

/** Text with the characters a frame cannot hold (NUL) removed. */
function clean(s: string): Buffer {
  return Buffer.from(s.replace(/\0/g, ''), 'utf8');
}

export function id3Tag(t: Id3Text): Buffer {
  const frames = [
    frame('TIT2', Buffer.concat([Buffer.from([UTF8]), clean(t.title)])),
    frame(
      'COMM',
      Buffer.concat([Buffer.from([UTF8]), Buffer.from('eng', 'latin1'), Buffer.from([0]), clean(t.comment)]),
    ),
    ...t.extra.map(([description, value]) =>
      frame('TXXX', Buffer.concat([Buffer.from([UTF8]), clean(description), Buffer.from([0]), clean(value)])),
    ),
  ];
  const body = Buffer.concat(frames);
  return Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), syncsafe(body.length), body]);
}
