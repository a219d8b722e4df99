/**
 * A written document (the one model both the HTML page and the tagged PDF draw) as the API shows it in a
 * draft's preview, with the chair's withholding marks (W-3) and, in the full record, the notice of which family
 * copies leave a block out. Sections nest at most five deep (H2 … H6, as `documentProblems` requires), so the
 * schema is written out to that depth rather than as a reference to itself.
 */
import { z } from 'zod';
import type { Block, WrittenDocument } from '../../../domain/documents/model.ts';
import { MAX_HEADING_LEVEL } from '../../../domain/documents/model.ts';
import type { Withholding } from '../../../domain/documents/withholding.ts';
import { WITHHOLDING_REASONS } from '../../../domain/documents/withholding.ts';
import { kindSchema } from './schemas.ts';

const familyMember = z.object({ id: z.string(), name: z.string() });

/** Whose copies leave a block out (W-3): every family member's, every child's, or the named people's. */
export const withheldFromSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('family') }),
  z.object({ kind: z.literal('children') }),
  z.object({ kind: z.literal('people'), people: z.array(familyMember) }),
]);

export const withholdingSchema = z.object({
  from: withheldFromSchema,
  reason: z.enum(WITHHOLDING_REASONS),
  explanation: z.string().nullable().describe('The chair’s words on why; never in a family member’s copy'),
});

export const withholdingOut = (w: Withholding) => ({
  from:
    w.from.kind === 'people'
      ? { kind: 'people' as const, people: w.from.people.map((p) => ({ id: p.id, name: p.name })) }
      : { kind: w.from.kind },
  reason: w.reason,
  explanation: w.explanation ?? null,
});

const base = {
  id: z
    .string()
    .nullable()
    .describe('The block’s stable name, used in withholding and in the log of what was left out'),
  withheld: z.array(withholdingSchema),
  notice: z.string().nullable().describe('In the full record: which family copies leave this block out, and why'),
};

const leafBlocks = [
  z.object({
    type: z.literal('heading'),
    level: z.number().int().min(2).max(MAX_HEADING_LEVEL),
    text: z.string(),
    ...base,
  }),
  z.object({ type: z.literal('paragraph'), text: z.string(), ...base }),
  z.object({ type: z.literal('list'), items: z.array(z.string()), numbered: z.boolean(), ...base }),
  z.object({ type: z.literal('summary'), rows: z.array(z.object({ key: z.string(), value: z.string() })), ...base }),
  z.object({
    type: z.literal('table'),
    caption: z.string(),
    head: z.array(z.string()),
    rows: z.array(z.array(z.string())),
    ...base,
  }),
] as const;

/** Blocks whose sections nest `depth` more levels. */
function blockSchema(depth: number): z.ZodType {
  if (depth === 0) return z.discriminatedUnion('type', [...leafBlocks]);
  return z.discriminatedUnion('type', [
    ...leafBlocks,
    z.object({ type: z.literal('section'), heading: z.string(), blocks: z.array(blockSchema(depth - 1)), ...base }),
  ]);
}

/** H2 sections hold H3 sections … down to H6: five levels of sections, the last holding no section. */
const SECTION_DEPTH = MAX_HEADING_LEVEL - 1;

export const documentSchema = z.object({
  title: z.string(),
  metadata: z.object({
    conferenceId: z.uuid(),
    conferenceDate: z.iso.date(),
    children: z.array(z.object({ id: z.uuid(), name: z.string() })),
    kind: kindSchema,
    version: z.number().int(),
  }),
  blocks: z.array(blockSchema(SECTION_DEPTH)),
});

type BlockOut = { type: Block['type']; id: string | null; withheld: unknown[]; notice: string | null } & Record<
  string,
  unknown
>;

function blockOut(b: Block): BlockOut {
  const common = { id: b.id ?? null, withheld: (b.withheld ?? []).map(withholdingOut), notice: b.notice ?? null };
  switch (b.type) {
    case 'heading':
      return { type: b.type, level: b.level, text: b.text, ...common };
    case 'paragraph':
      return { type: b.type, text: b.text, ...common };
    case 'list':
      return { type: b.type, items: [...b.items], numbered: b.numbered ?? false, ...common };
    case 'summary':
      return { type: b.type, rows: b.rows.map((r) => ({ key: r.key, value: r.value })), ...common };
    case 'table':
      return { type: b.type, caption: b.caption, head: [...b.head], rows: b.rows.map((r) => [...r]), ...common };
    case 'section':
      return { type: b.type, heading: b.heading, blocks: b.blocks.map(blockOut), ...common };
  }
}

export const documentOut = (d: WrittenDocument) => ({
  title: d.title,
  metadata: {
    conferenceId: d.metadata.conferenceId,
    conferenceDate: d.metadata.conferenceDate,
    children: d.metadata.children.map((c) => ({ id: c.id, name: c.name })),
    kind: d.metadata.kind,
    version: d.metadata.version,
  },
  blocks: d.blocks.map(blockOut),
});
