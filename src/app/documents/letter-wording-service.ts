/**
 * Administrators change the wording of letters (W-1, W-6, W-7) as they change the emails' wording: each piece
 * with its placeholders listed, a preview with example values and the council's own name and contact, checked
 * placeholders, a version so two administrators cannot overwrite each other, and the default put back on request.
 * Every change is audited.
 */
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import type { RequestContext } from '../audit/audit-log.ts';
import type { StoredTemplate } from '../mail/ports.ts';
import { InvalidTemplateError, type FieldProblem } from '../mail/templates.ts';
import type { Clock, UnitOfWork } from '../unit-of-work.ts';
import {
  LETTER_PLACEHOLDER_NAMES,
  LETTER_TEMPLATE_DEFINITIONS,
  type LetterTemplateDefinition,
  exampleLetterValues,
  letterTemplateDefinition,
  normaliseLetterText,
  renderLetterText,
  validateLetterText,
} from './letter-wording.ts';

export interface LetterWordingSettings {
  /** COUNCIL_NAME: shown in the preview in place of ((council_name)). */
  councilName: string;
  /** COUNCIL_CONTACT: shown in the preview in place of ((council_contact)). */
  councilContact: string;
}

export interface LetterWordingServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  settings: LetterWordingSettings;
}

export interface LetterWordingListItem {
  definition: LetterTemplateDefinition;
  /** The administrator's wording differs from the default. */
  customised: boolean;
  /** When and by whom it was last changed; null while nobody has changed it. */
  updatedAt: Date | null;
  updatedByName: string | null;
}

export interface LetterWordingForEditing extends LetterWordingListItem {
  body: string;
  /** The version an edit starts from (0: the default wording, never saved). */
  version: number;
}

export type LetterWordingPreview = { ok: true; preview: string } | { ok: false; problems: FieldProblem[] };

/** Subject is an email's; letters' wording is kept in the same place with an empty one. */
const NO_SUBJECT = '';

export class LetterWordingService {
  private readonly deps: LetterWordingServiceDeps;

  constructor(deps: LetterWordingServiceDeps) {
    this.deps = deps;
  }

  async listLetters(): Promise<LetterWordingListItem[]> {
    const stored = new Map((await this.deps.uow.run((r) => r.messageTemplates.list())).map((t) => [t.key, t]));
    return LETTER_TEMPLATE_DEFINITIONS.map((def) => this.describe(def, stored.get(def.key) ?? null));
  }

  async letterForEditing(key: string): Promise<LetterWordingForEditing> {
    const def = this.definition(key);
    const stored = await this.deps.uow.run((r) => r.messageTemplates.get(def.key));
    return { ...this.describe(def, stored), body: stored?.body ?? def.defaultBody, version: stored?.version ?? 0 };
  }

  /** The wording with example values and the council's own name and contact, or the problems that stop it being saved. */
  previewLetter(key: string, input: { body: string }): LetterWordingPreview {
    const def = this.definition(key);
    const problems = validateLetterText(def, input.body);
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      preview: renderLetterText(input.body, { ...exampleLetterValues(def), ...this.serviceValues() }),
    };
  }

  /** Saves new wording. `version` is the one the administrator started from (0: the default wording). */
  async saveLetter(key: string, input: { body: string; version: number }, ctx: RequestContext): Promise<void> {
    const def = this.definition(key);
    const problems = validateLetterText(def, input.body);
    if (problems.length > 0) throw new InvalidTemplateError(problems);
    await this.write(def, normaliseLetterText(input.body), input.version, ctx, 'letter.wording.changed');
  }

  /** Puts the default wording back. */
  async resetLetter(key: string, version: number, ctx: RequestContext): Promise<void> {
    const def = this.definition(key);
    await this.write(def, def.defaultBody, version, ctx, 'letter.wording.reset');
  }

  private async write(
    def: LetterTemplateDefinition,
    body: string,
    version: number,
    ctx: RequestContext,
    action: string,
  ): Promise<void> {
    await this.deps.uow.run(async (r) => {
      const at = this.deps.clock.now();
      // Wording never saved has no row yet: add the default so the version check below has something to compare.
      if (version === 0)
        await r.messageTemplates.insertIfAbsent({ key: def.key, subject: NO_SUBJECT, body: def.defaultBody, at });
      const saved = await r.messageTemplates.update(def.key, {
        subject: NO_SUBJECT,
        body,
        updatedBy: ctx.actor.id,
        at,
        expectedVersion: Math.max(version, 1),
      });
      if (!saved)
        throw new ConflictError(
          'Someone else changed this wording while you were editing it. Your changes have not been saved: look at the current wording and make them again',
          'body',
        );
      await r.audit.record({
        action,
        actor: ctx.actor,
        correlationId: ctx.correlationId,
        subject: { type: 'letter_wording', id: def.key },
        outcome: 'success',
        details: { version: saved.version },
      });
    });
  }

  private serviceValues(): Record<string, string> {
    return {
      [LETTER_PLACEHOLDER_NAMES.councilName]: this.deps.settings.councilName,
      [LETTER_PLACEHOLDER_NAMES.councilContact]: this.deps.settings.councilContact,
    };
  }

  private definition(key: string): LetterTemplateDefinition {
    const def = letterTemplateDefinition(key);
    if (!def) throw new NotFoundError('The letter wording');
    return def;
  }

  private describe(def: LetterTemplateDefinition, stored: StoredTemplate | null): LetterWordingListItem {
    const body = stored?.body ?? def.defaultBody;
    return {
      definition: def,
      customised: body !== def.defaultBody,
      updatedAt: stored?.updatedBy ? stored.updatedAt : null,
      updatedByName: stored?.updatedBy ? stored.updatedByName : null,
    };
  }
}
