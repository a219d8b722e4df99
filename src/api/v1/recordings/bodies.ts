/** What the recordings API accepts: bodies of uploads, statements, bookmarks and withheld parts. */
import { z } from 'zod';
import {
  BOOKMARK_KINDS,
  RECORDING_KINDS,
  RECORDING_SOURCES,
  WITHHOLDING_REASONS,
} from '../../../domain/recordings/index.ts';
import { idSchema } from '../../../domain/shared/ids.ts';

// ------------------------------------------------------------------ requests

export const shortText = z.string().max(2_000);
export const offset = z
  .union([z.string().max(20), z.number().int().min(0)])
  .describe('A time in the recording: `1:02:05`, `2:05` or seconds as text, or milliseconds as a number')
  .meta({ examples: ['0:12:30', 750000] });

export const createBody = z.object({
  kind: z.enum(RECORDING_KINDS).describe('`meeting`, or the chair’s `dictation` afterwards (R-6)'),
  source: z
    .enum(RECORDING_SOURCES.filter((s) => s !== 'browser') as ['teams', 'dictaphone', 'other'])
    .describe('Where the file was made (R-5)'),
  partId: idSchema.nullish().describe('The part of the conference it records'),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'A SHA-256 is 64 hexadecimal characters')
    .nullish()
    .describe('The file’s SHA-256, when the sender knows it: a file that arrives different is rejected'),
});

export const statementBody = z.object({
  location: z.string().max(1_000),
  recordedOn: z.string().max(20).describe('YYYY-MM-DD'),
  startedAt: z.string().max(20).describe('HH:MM'),
  endedAt: z.string().max(20).describe('HH:MM'),
  context: z.string().max(10_000),
  speakers: z
    .array(z.object({ name: shortText.nullish(), role: shortText.nullish() }))
    .max(100)
    .default([]),
  breaks: z
    .array(
      z.object({
        startedAt: z.string().max(20).nullish(),
        endedAt: z.string().max(20).nullish(),
        reason: shortText.nullish(),
        participantChanges: shortText.nullish(),
      }),
    )
    .max(100)
    .default([]),
  changeReason: shortText.nullish().describe('Required once a version has been confirmed'),
});

export const bookmarkBody = z.object({ at: offset, kind: z.enum(BOOKMARK_KINDS), label: shortText });

export const withheldBody = z.object({
  start: offset,
  end: offset,
  reason: z
    .enum(WITHHOLDING_REASONS)
    .describe('Another child, police or MARAC information, information confidential to one parent …'),
  explanation: z.string().max(10_000).describe('What is said in this part and why it must be withheld'),
  audience: z
    .enum(['all-family', 'named'])
    .describe('Withheld from every family member and child, or only from the people named'),
  personIds: z.array(idSchema).max(100).optional().describe('With `named`: people from the detail’s `people`'),
});

export const labelBody = z.object({
  label: z.string().max(2_000).nullable().describe('The label; blank or null takes it away'),
});
