/**
 * How a copy of a recording's original is named and typed when it is exported, the same for the
 * pages and the API: the name never comes from a person, only from when it was made, its id and the
 * container ffprobe found.
 */
import { londonDateOf } from '../../domain/calendar/index.ts';

/** File name extensions for a container ffprobe named; the export's name never comes from a person. */
const EXTENSIONS: Record<string, string> = {
  wav: 'wav',
  mp3: 'mp3',
  mp4: 'mp4',
  webm: 'webm',
  matroska: 'mkv',
  ogg: 'ogg',
  aac: 'aac',
  flac: 'flac',
  asf: 'wma',
  amr: 'amr',
  dss: 'dss',
  aiff: 'aiff',
};

const MEDIA_TYPES: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  webm: 'audio/webm',
  matroska: 'video/x-matroska',
  ogg: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  asf: 'audio/x-ms-wma',
  amr: 'audio/amr',
  aiff: 'audio/aiff',
};

/** `recording-2026-03-02-1a2b3c4d.m4a`: the date it was made, a short id and the container's extension. */
export function exportFileName(recordingId: string, startedAt: Date, container: string | null): string {
  const shortId = recordingId
    .replace(/[^0-9a-f]/gi, '')
    .slice(0, 8)
    .toLowerCase();
  const ext = (container && EXTENSIONS[container]) ?? 'bin';
  return `recording-${londonDateOf(startedAt)}-${shortId}.${ext}`;
}

export function exportMediaType(container: string | null): string {
  return (container && MEDIA_TYPES[container]) ?? 'application/octet-stream';
}
