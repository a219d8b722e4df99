/** The dashboard API's building blocks: dates, red / amber / green, people, children, agencies, due dates, a conference. */
import { z } from 'zod';
import { RULE_NAMES } from '../../../domain/calendar/index.ts';
import { RAG_STATUSES } from '../../../domain/conferences/dashboard.ts';
import { CONFERENCE_TYPES } from '../../../domain/conferences/decisions.ts';
import { CONFERENCE_STATUSES } from '../../../domain/conferences/lifecycle.ts';

export const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2026-03-02'] });
export const rag = z
  .enum(RAG_STATUSES)
  .describe(
    'Red / amber / green: `overdue` (red), `due-soon` (amber: within 5 working days, due today included), `on-track` (green)',
  );
export const staffRef = z.object({ id: z.uuid(), name: z.string() });
export const childRef = z.object({ id: z.uuid(), givenNames: z.string(), familyName: z.string() });
export const agencyRef = z.object({ id: z.uuid(), name: z.string(), kind: z.string() });

export const dueDateSchema = z.object({
  rule: z.enum(RULE_NAMES),
  ruleId: z.string().meta({ examples: ['T-1'] }),
  title: z.string().describe('What is due'),
  due: isoDate('The last day'),
  from: isoDate('The date the rule counts from; null when it was not recorded').nullable(),
  basis: z.string().meta({
    description: 'The rule and its start date',
    examples: ['T-1, 15 working days from the strategy discussion on 10 April 2025'],
  }),
  text: z
    .string()
    .meta({ examples: ['Due 6 May 2025 — T-1, 15 working days from the strategy discussion on 10 April 2025'] }),
  status: rag,
  workingDaysLeft: z
    .number()
    .int()
    .describe('Working days from today to the due date: 0 on the day, negative when overdue'),
});

export const conferenceSchema = z.object({
  id: z.uuid(),
  type: z.enum(CONFERENCE_TYPES),
  typeLabel: z.string(),
  status: z.enum(CONFERENCE_STATUSES),
  statusLabel: z.string(),
  scheduledDate: isoDate('The date the conference is planned for, or was held'),
  startTime: z.string().meta({ description: 'Local time in England', examples: ['10:00'] }),
  chair: staffRef.nullable(),
  children: z.array(childRef).describe('The whole sibling group'),
});

export const count = z.number().int().nonnegative();
