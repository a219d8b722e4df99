/**
 * Timescale deadlines (DOMAIN.md T-1 … T-11, A-9, D-1) for integrations: the same computation and
 * explanation as the "Work out a deadline" page, from the bank holidays of England and Wales.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CalendarError,
  computeDeadline,
  isIsoDate,
  isRuleName,
  parseIsoDate,
  RULE_NAMES,
  TIMESCALE_RULES,
} from '../../domain/calendar/index.ts';
import type { ApiOptions } from './index.ts';
import { errorResponse } from './schemas.ts';

const isoDate = (description: string) => z.iso.date().meta({ description, examples: ['2025-04-10'] });
const FROM_ERROR = 'from must be a real date written YYYY-MM-DD';
const ruleName = z.enum(RULE_NAMES).describe('The rule name, e.g. `initial-conference`');
const ruleId = z.string().meta({ description: 'The rule ID in the procedures', examples: ['T-1'] });

const ruleSchema = z.object({
  name: ruleName,
  ruleId,
  title: z
    .string()
    .meta({ description: 'What the deadline is for', examples: ['Initial child protection conference'] }),
  fromLabel: z.string().meta({ description: 'What the `from` date is', examples: ['Date of the strategy discussion'] }),
});

const deadlineSchema = z.object({
  rule: ruleName,
  ruleId,
  from: isoDate('The date counted from, as given'),
  due: isoDate('The last day to act (for a window, its last day)'),
  earliest: isoDate('For a window (T-2 pre-birth conference): the first suitable day').optional(),
  latest: isoDate('For a window (T-2 pre-birth conference): the last suitable day').optional(),
  explanation: z.string().describe('How the date was worked out, in plain English, naming any bank holidays skipped'),
});

const unknownRule = (rule: string) => ({
  error: 'unknown_rule',
  message: `There is no timescale rule "${rule}". Valid rules: ${RULE_NAMES.join(', ')}`,
});

export async function deadlinesApi(app: FastifyInstance, { services }: ApiOptions): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/deadlines',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'listTimescaleRules',
        summary: 'List the timescale rules',
        description: 'Every rule a deadline can be worked out for, with what its `from` date means.',
        tags: ['deadlines'],
        response: { 200: z.object({ rules: z.array(ruleSchema) }), 401: errorResponse },
      },
    },
    async () => ({
      rules: RULE_NAMES.map((n) => {
        const r = TIMESCALE_RULES[n];
        return { name: r.name, ruleId: r.ruleId, title: r.title, fromLabel: r.fromLabel };
      }),
    }),
  );

  api.get(
    '/deadlines/:rule',
    {
      config: { access: 'signed-in' },
      schema: {
        operationId: 'computeDeadline',
        summary: 'Work out a deadline',
        description:
          'Counts the rule from the `from` date, skipping weekends and bank holidays of England and Wales where the rule is in working days. ' +
          'An unknown rule is 404 `unknown_rule`, listing the valid names; a missing or impossible `from` is 400.',
        tags: ['deadlines'],
        params: z.object({ rule: ruleName }),
        querystring: z.object({
          from: z.iso
            .date({ error: FROM_ERROR, abort: true })
            .refine(isIsoDate, FROM_ERROR) // also years before 1000, which the calendar does not count
            .meta({
              description:
                'The date to count from; what it means depends on the rule (`fromLabel` in the list of rules)',
              examples: ['2025-04-10'],
            }),
          prematureBirthLikely: z
            .enum(['true', 'false'])
            .optional()
            .describe(
              'Pre-birth conferences (002 §1.3): `true` when a premature birth is likely, which ends the T-2 window earlier',
            ),
        }),
        response: { 200: deadlineSchema, 400: errorResponse, 401: errorResponse, 404: errorResponse },
      },
      // Before validation, so an unknown rule is 404 whatever the query string.
      preValidation: async (request, reply) => {
        const { rule } = request.params as { rule: string };
        if (!isRuleName(rule)) return reply.code(404).send(unknownRule(rule));
      },
    },
    async (request, reply) => {
      let d;
      try {
        d = computeDeadline(
          request.params.rule,
          parseIsoDate(request.query.from, 'from'),
          services.calendar,
          services.timescales,
          { prematureBirthLikely: request.query.prematureBirthLikely === 'true' },
        );
      } catch (err) {
        // Only a date at the very ends of the calendar (years 1000 and 9999) can fail here.
        if (err instanceof CalendarError)
          return reply.code(400).send({ error: 'invalid_date', message: err.message, field: 'from' });
        throw err;
      }
      return {
        rule: d.rule,
        ruleId: d.ruleId,
        from: d.from,
        due: d.due,
        earliest: d.earliest,
        latest: d.latest,
        explanation: d.explanation,
      };
    },
  );
}
