// The written record: time to build a twenty-page conference record from a large conference's facts (many
// attendees, every agency's view, long plans and discussion) and to render it as a tagged PDF (p50 and p95 of 20
// runs after a warm-up: the full record, a parent's copy with a section withheld from her, and that copy in large
// print), and the peak RSS while rendering. `node bench/documents.ts` or `npm run bench`; BENCH_DOCUMENT_RUNS
// sets the number of runs (default 20).
import { report } from './report.ts';
import { FULL_RECORD, type FamilyMember, buildDocument, deriveVariant } from '../src/domain/documents/index.ts';
import { renderPdf } from '../src/infra/documents/pdf-renderer.ts';
import { MOTHER_INVITEE, TWENTY_PAGE_CONFERENCE, sizedRecordInput } from '../test/support/document-facts.ts';

const MOTHER: FamilyMember = { id: MOTHER_INVITEE, name: 'Jane Smith' };

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

/** Page objects in a PDFKit file (it writes no object streams, so each page dictionary is plain text). */
function pageCount(bytes: Uint8Array): number {
  return (
    Buffer.from(bytes)
      .toString('latin1')
      .match(/\/Type \/Page\b/g)?.length ?? 0
  );
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

export async function benchDocuments(runs = Number(process.env['BENCH_DOCUMENT_RUNS'] ?? 20)): Promise<void> {
  const input = sizedRecordInput(TWENTY_PAGE_CONFERENCE, {
    withholdings: { 'essential-facts': [{ from: { kind: 'people', people: [MOTHER] }, reason: 'police-or-marac' }] },
  });
  const record = buildDocument(input);
  const buildTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    deriveVariant(buildDocument(input), { kind: 'parent', person: MOTHER });
    buildTimes.push(performance.now() - started);
  }
  buildTimes.sort((a, b) => a - b);
  const variants = [
    { label: 'full record', variant: deriveVariant(record, FULL_RECORD), largePrint: false },
    { label: "parent's copy", variant: deriveVariant(record, { kind: 'parent', person: MOTHER }), largePrint: false },
    {
      label: "parent's copy, large print",
      variant: deriveVariant(record, { kind: 'parent', person: MOTHER }),
      largePrint: true,
    },
  ];
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  // Rendering is mostly synchronous, so the sampler runs between the steps; each run's end is sampled too.
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    console.log(`written record as tagged PDF (${runs} runs each after one warm-up; RSS before ${mib(rssBefore)})`);
    console.log(
      `  ${'build and derive a copy'.padEnd(28)} ${' '.repeat(20)}  p50 ${percentile(buildTimes, 50).toFixed(1)} ms  p95 ${percentile(buildTimes, 95).toFixed(1)} ms`,
    );
    for (const { label, variant, largePrint } of variants) {
      const warm = await renderPdf(variant.document, variant.marking, { largePrint });
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await renderPdf(variant.document, variant.marking, { largePrint });
        times.push(performance.now() - started);
        peak = Math.max(peak, process.memoryUsage.rss());
      }
      times.sort((a, b) => a - b);
      report({
        what: `tagged PDF, ${label} (${pageCount(warm)} pages, ${mib(warm.length)}), p95 of ${runs}`,
        value: percentile(times, 95),
        unit: 'ms',
      });
    }
    console.log(`  peak RSS while rendering ${mib(peak)} (${mib(peak - rssBefore)} above the start)`);
  } finally {
    clearInterval(sampler);
  }
}

if (import.meta.main) await benchDocuments();
