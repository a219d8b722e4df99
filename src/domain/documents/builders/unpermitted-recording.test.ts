import { describe, expect, it } from 'vitest';
import { buildInput, documentFacts } from '../../../../test/support/document-facts.ts';
import { buildDocument } from '../build.ts';
import { type Block, documentProblems, readingOrderText } from '../model.ts';

const LINE =
  'Ada Advocate was asked to stop recording at 10:20, the meeting was halted at 10:25, they were asked to leave at 10:26, as the parents did not agree to the recording. They left the meeting (10:30).';

const sectionIds = (blocks: readonly Block[]): string[] =>
  blocks.flatMap((b) => (b.type === 'section' ? [...(b.id ? [b.id] : []), ...sectionIds(b.blocks)] : []));

describe('the conference record draws on recording against the parents’ wishes, P-8', () => {
  it('P-8: each time someone was asked to stop recording is in the record, with its times', () => {
    const document = buildDocument(
      buildInput('conference-record', { facts: documentFacts({ unpermittedRecording: [LINE] }) }),
    );
    expect(documentProblems(document)).toEqual([]);
    expect(sectionIds(document.blocks)).toContain('unpermitted-recording');
    expect(readingOrderText(document)).toContain(LINE);
  });

  it('P-8: with nothing recorded, the record has no such section', () => {
    const document = buildDocument(buildInput('conference-record'));
    expect(sectionIds(document.blocks)).not.toContain('unpermitted-recording');
  });
});
