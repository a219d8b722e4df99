/**
 * What the convening journey's steps share: the encrypted draft of the answers, checking them up to a
 * stage with the service, finding the first step with a problem, and showing or saving a step. Each
 * step's page (its view model) lives in its own file and is handed in as a `StepPage`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConveningStage, PreparedConvening } from '../../../../app/conferences/convening-service.ts';
import type { Services } from '../../../../composition.ts';
import { type FormError, type FormValues, bodyOf, pickValues, requestContext } from '../../../forms/index.ts';
import { DraftStore } from '../../../draft-store.ts';
import {
  STEP_PATHS,
  STEPS,
  type Step,
  TIMESCALE_FIELDS,
  conveneInputFrom,
  errorsOfStep,
  orderedErrors,
  serviceErrors,
} from '../convening-forms.ts';

export interface ConveningPageServices {
  convening: Services['convening'];
  people: Services['people'];
  clock: Services['clock'];
  timescales: Services['timescales'];
  config: Pick<Services['config'], 'sessionSecret' | 'cookieSecure'>;
}

/** A step's page: rendered with the answers so far (and this step's problems, if any). */
export type StepPage = (
  journey: ConveningJourney,
  request: FastifyRequest,
  reply: FastifyReply,
  values: FormValues,
  base: { values: FormValues; errors: FormError[]; fromCheck: boolean },
) => Promise<unknown>;

const STAGE_BEFORE: Record<Step, ConveningStage | null> = {
  children: null,
  type: 'children',
  arrangements: 'type',
  timescale: 'arrangements',
};

const STAGE_OF: Record<Step, ConveningStage> = {
  children: 'children',
  type: 'type',
  arrangements: 'arrangements',
  timescale: 'complete',
};

export const listOf = (v: FormValues[string]): string[] => (Array.isArray(v) ? v : v ? [v] : []);

/** `?from=check`: the step was opened from check answers, so saving it goes back there. */
export const fromCheckQuery = (request: FastifyRequest): string =>
  (request.query as { from?: string }).from === 'check' ? 'check' : '';

export class ConveningJourney {
  readonly drafts: DraftStore;
  readonly pages: Partial<Record<Step, StepPage>> = {};
  readonly services: ConveningPageServices;

  constructor(services: ConveningPageServices) {
    this.services = services;
    this.drafts = new DraftStore({
      secret: services.config.sessionSecret,
      cookieSecure: services.config.cookieSecure,
      name: 'convening',
      path: '/conferences/new',
    });
  }

  load(request: FastifyRequest): FormValues | null {
    return this.drafts.load(request, request.actor!.id, this.services.clock.now());
  }

  save(request: FastifyRequest, reply: FastifyReply, values: FormValues): boolean {
    return this.drafts.save(reply, request.actor!.id, values, this.services.clock.now());
  }

  /** Checks the draft up to a stage; the problems, or the prepared answers. */
  async check(
    request: FastifyRequest,
    values: FormValues,
    stage: ConveningStage,
  ): Promise<{ prepared: PreparedConvening | null; errors: FormError[] }> {
    const { input, errors } = conveneInputFrom(values);
    try {
      const prepared = await this.services.convening.prepareConvening(
        request.actor!,
        input,
        requestContext(request),
        stage,
      );
      return { prepared: errors.length ? null : prepared, errors };
    } catch (err) {
      return { prepared: null, errors: orderedErrors(errors, serviceErrors(err, values)) };
    }
  }

  /** The first step whose answers have a problem, or null when everything checked is fine. */
  firstBadStep(errors: FormError[], values: FormValues): Step | null {
    if (!errors.length) return null;
    return STEPS.find((step) => errorsOfStep(errors, step, values).length > 0) ?? 'children';
  }

  /** Renders a step's page with the answers (and its problems: 400 unless another status is given). */
  async render(
    request: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    values: FormValues,
    errors: FormError[] = [],
    status?: number,
  ): Promise<unknown> {
    if (errors.length) reply.code(status ?? 400);
    const base = { values, errors, fromCheck: values['from'] === 'check' };
    return this.pages[step]!(this, request, reply, values, base);
  }

  /** Shows a step, once the answers before it are complete; otherwise the first step that needs an answer. */
  async show(request: FastifyRequest, reply: FastifyReply, step: Step): Promise<unknown> {
    const values = this.load(request);
    if (!values) return reply.redirect('/conferences/new', 303);
    const before = STAGE_BEFORE[step];
    if (before) {
      const { errors } = await this.check(request, values, before);
      const bad = this.firstBadStep(errors, values);
      if (bad && bad !== step) return reply.redirect(STEP_PATHS[bad], 303);
    }
    if (step === 'timescale') {
      const { prepared } = await this.check(request, values, 'arrangements');
      // Outside the timescale (T-1), or a review brought forward (002 §2.2): both are answered on this step.
      if (prepared?.assessment?.withinTimescale && !prepared.broughtForward)
        return reply.redirect(STEP_PATHS.check, 303);
    }
    return this.render(request, reply, step, { ...values, from: fromCheckQuery(request) });
  }

  /** Saves a step's answers into the draft and goes on: to the next step, or back to check answers. */
  async submit(
    request: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    fields: string[],
    lists: string[] = [],
  ): Promise<unknown> {
    const draft = this.load(request);
    if (!draft) return reply.redirect('/conferences/new', 303);
    const body = bodyOf(request);
    const values: FormValues = {
      ...draft,
      ...pickValues(body, fields, lists),
      from: body['from'] === 'check' ? 'check' : '',
    };
    const { prepared, errors } = await this.check(request, values, STAGE_OF[step]);
    const own = errorsOfStep(errors, step, values);
    if (own.length) return this.render(request, reply, step, values, own);
    const bad = this.firstBadStep(errors, values);
    if (bad) return reply.redirect(STEP_PATHS[bad], 303);
    let next: Step | 'check' = step === 'children' ? 'type' : step === 'type' ? 'arrangements' : 'check';
    if (step === 'arrangements') {
      if (prepared?.assessment && (!prepared.assessment.withinTimescale || prepared.broughtForward)) next = 'timescale';
      else for (const f of TIMESCALE_FIELDS) values[f] = '';
    }
    if (values['from'] === 'check' && next !== 'timescale') {
      const all = await this.check(request, values, 'complete');
      if (all.prepared) next = 'check';
    }
    const { from: _from, ...kept } = values;
    if (!this.save(request, reply, kept)) {
      return this.render(request, reply, step, values, [
        {
          text: 'Your answers are too long to hold: shorten the address, the meeting link or the reason',
          href: '#main-content',
        },
      ]);
    }
    return reply.redirect(STEP_PATHS[next], 303);
  }
}
