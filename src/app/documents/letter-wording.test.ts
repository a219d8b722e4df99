import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/services.ts';
import { DOCUMENT_KINDS } from '../../domain/documents/index.ts';
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import { createUnitOfWork } from '../../infra/db/unit-of-work.ts';
import { type MailHarness, mailHarness } from '../../infra/mail/test-support.ts';
import { InvalidTemplateError, placeholdersIn } from '../mail/templates.ts';
import type { UnitOfWork } from '../unit-of-work.ts';
import { LetterWordingService } from './letter-wording-service.ts';
import {
  LETTER_PLACEHOLDER_NAMES,
  LETTER_TEMPLATE_DEFINITIONS,
  TemplateLetterWording,
  letterPartDefinition,
  letterTemplateDefinition,
  renderLetterText,
  validateLetterText,
  RECORDING_PERMISSION_LETTER,
  recordingPermissionLetterText,
} from './letter-wording.ts';
import type { LetterValues } from './ports.ts';

const VALUES: LetterValues = {
  recipientName: 'Sam Parent',
  childNames: 'Ava Brown and Ben Brown',
  conferenceDate: '3 March 2026',
  conferenceType: 'initial child protection conference',
  chairName: 'Chris Chair',
  councilName: 'Eastshire Council',
  councilContact: 'the conference team on 01234 567890',
};
const LETTERS = ['decision-letter', 'plan-and-core-group-letter', 'exclusion-letter'] as const;
const def = (key: string) => letterTemplateDefinition(key)!;
const admin = { actor: { id: null, label: 'Ada Admin' }, correlationId: 'req-1' };

describe('the wording of letters and its checks', () => {
  it('W-1, W-6, W-7: every default passes its own checks and uses only the letter placeholders', () => {
    const names = Object.values(LETTER_PLACEHOLDER_NAMES);
    for (const d of LETTER_TEMPLATE_DEFINITIONS) {
      expect(d.key, d.key).toMatch(/^letter-/);
      expect(validateLetterText(d, d.defaultBody), d.key).toEqual([]);
      // The letter confirming a decision on a request to record is not part of a written record (its own values).
      if (d.part === 'recording-permission') continue;
      expect(
        d.placeholders.map((p) => p.name),
        d.key,
      ).toEqual(names);
      for (const used of placeholdersIn(d.defaultBody)) expect(names, d.key).toContain(used);
    }
    // Every value a letter is given has a placeholder, and every placeholder a value.
    expect(Object.keys(LETTER_PLACEHOLDER_NAMES).sort()).toEqual(Object.keys(VALUES).sort());
  });

  it('the decision letter, the plan and core group letter and the exclusion letter have an opening; no other document has', () => {
    for (const kind of DOCUMENT_KINDS) {
      const opening = letterPartDefinition(kind, 'opening');
      if ((LETTERS as readonly string[]).includes(kind)) expect(opening?.kinds, kind).toContain(kind);
      else expect(opening, kind).toBeUndefined();
      expect(letterPartDefinition(kind, 'complaints')?.key, kind).toBe('letter-complaints');
      expect(letterPartDefinition(kind, 'confidentiality')?.key, kind).toBe('letter-confidentiality');
    }
  });

  it('P-3: the letter confirming a decision on a request to record has its own wording, apart from the email’s, with the decision required', () => {
    const d = def(RECORDING_PERMISSION_LETTER);
    expect(d.kinds).toEqual([]);
    expect(d.placeholders.map((p) => p.name)).toEqual([
      'requester_name',
      'meeting',
      'decision',
      'reasons',
      'next_steps',
      'council_name',
    ]);
    expect(validateLetterText(d, 'Dear ((requester_name)), about ((meeting)).')).toEqual([
      { field: 'body', message: 'Wording must include ((decision)): the letter is no use without it' },
    ]);
    // Its lists keep their lines: the reasons and what is offered instead.
    expect(
      recordingPermissionLetterText(
        { body: 'To ((requester_name)):\n((decision))\n((next_steps))' },
        { requester_name: 'Alex Example', decision: 'No.', next_steps: '- A note-taker\n- An advocate' },
      ),
    ).toBe('To Alex Example:\nNo.\n- A note-taker\n- An advocate');
    // Saved wording that no longer passes the checks gives way to the default.
    expect(recordingPermissionLetterText({ body: 'No decision here.' }, { decision: 'No.' })).toContain('No.');
  });

  it('refuses a placeholder the letter cannot use, naming it and the ones it can', () => {
    const problems = validateLetterText(
      def('letter-decision-opening'),
      'Dear ((parent_name)) about ((conference_date))',
    );
    expect(problems).toEqual([
      {
        field: 'body',
        message: expect.stringContaining(
          'Wording uses ((parent_name)), which is not a placeholder this letter can use. Use only ((recipient_name)), ((child_names))',
        ),
      },
    ]);
  });

  it('W-7: refuses how-to-complain wording without the council’s contact, which the paragraph is no use without', () => {
    expect(validateLetterText(def('letter-complaints'), 'You can complain to ((council_name)).')).toEqual([
      { field: 'body', message: 'Wording must include ((council_contact)): the letter is no use without it' },
    ]);
    expect(validateLetterText(def('letter-complaints'), 'Complain to ((council_contact)).')).toEqual([]);
  });

  it('refuses empty wording, stray brackets and wording that is too long', () => {
    const d = def('letter-confidentiality');
    expect(validateLetterText(d, '  \r\n ')).toEqual([{ field: 'body', message: 'Enter the wording' }]);
    expect(validateLetterText(d, 'Keep it safe ((chair_name)')[0]?.message).toContain(
      'Wording has “((” or “))” that is not part of a placeholder',
    );
    expect(validateLetterText(d, 'x'.repeat(10_001))[0]?.message).toBe('Wording must be 10,000 characters or fewer');
  });

  it('fills each placeholder once: a value that looks like a placeholder stays as typed, a line break becomes a space', () => {
    expect(
      renderLetterText('Dear ((recipient_name))\r\n\r\nAbout ((child_names)).  ', {
        recipient_name: '((child_names))',
        child_names: 'Ava\nBrown',
      }),
    ).toBe('Dear ((child_names))\n\nAbout Ava Brown.');
  });
});

describe.each(testDatabases())('letter wording kept beside the emails’ wording on %s', (kind) => {
  let h: MailHarness;
  let uow: UnitOfWork;
  let service: LetterWordingService;
  const source = new TemplateLetterWording();
  const wordingFor = (k: (typeof DOCUMENT_KINDS)[number], values: LetterValues = VALUES) =>
    uow.run((repos) => source.wordingFor(repos, k, values));

  beforeAll(async () => {
    h = await mailHarness(kind);
    uow = createUnitOfWork(h.database.db, () => h.clock.now());
    service = new LetterWordingService({
      uow,
      clock: h.clock,
      settings: { councilName: 'Eastshire Council', councilContact: 'the conference team on 01234 567890' },
    });
  });
  beforeEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h?.dispose();
  });

  const audits = async () =>
    (
      await h.database.execute(
        `select action, actor_label, subject_type, subject_id, details from audit_events where seq > $1 order by seq`,
        [h.auditSince],
      )
    ).rows as Array<{ action: string; actor_label: string; subject_type: string; subject_id: string }>;

  it('W-1, W-6, W-7: the default wording, filled for one addressee, with nothing left unfilled', async () => {
    const w = await wordingFor('decision-letter');
    expect(w.opening).toMatch(/^Dear Sam Parent\n\n/);
    expect(w.opening).toContain(
      'the initial child protection conference for Ava Brown and Ben Brown on 3 March 2026. The conference was chaired by Chris Chair.',
    );
    expect(w.complaints).toContain(
      'about the category of the child protection plan, or about whether a plan was made, you can complain',
    );
    expect(w.complaints).toContain('contact the conference team on 01234 567890');
    expect(w.complaints).toContain('formal complaint to Eastshire Council');
    expect(w.confidentiality).toContain(
      'unless the chair of the conference or the lead social worker has agreed, or a court has ordered it',
    );
    for (const text of Object.values(w)) expect(text).not.toMatch(/\(\(|\)\)/);
    expect((await wordingFor('exclusion-letter')).opening).toContain('This letter tells you why.');
    expect((await wordingFor('plan-and-core-group-letter')).opening).toContain('should have a child protection plan');
  });

  it('documents that are not letters have no opening, but still say how to complain and that they are confidential', async () => {
    for (const k of ['chairs-summary', 'conference-record', 'inquorate-notes'] as const) {
      const w = await wordingFor(k);
      expect(w.opening, k).toBe('');
      expect(w.complaints, k).toContain('you can complain');
      expect(w.confidentiality, k).toContain('confidential');
    }
  });

  it('saved wording replaces the default for new letters, for that letter only, and the change is audited', async () => {
    await service.saveLetter(
      'letter-decision-opening',
      { body: 'Hello ((recipient_name)),\r\n\r\nThe conference on ((conference_date)) has decided.  ', version: 0 },
      admin,
    );
    expect((await wordingFor('decision-letter')).opening).toBe(
      'Hello Sam Parent,\n\nThe conference on 3 March 2026 has decided.',
    );
    expect((await wordingFor('exclusion-letter')).opening).toMatch(/^Dear Sam Parent/);
    const editing = await service.letterForEditing('letter-decision-opening');
    expect(editing).toMatchObject({ customised: true, version: 2 });
    expect(await audits()).toEqual([
      expect.objectContaining({
        action: 'letter.wording.changed',
        actor_label: 'Ada Admin',
        subject_type: 'letter_wording',
        subject_id: 'letter-decision-opening',
      }),
    ]);
    // The emails' wording is not touched, and the letters are not listed among the emails.
    expect((await h.mail.listTemplates()).map((t) => t.definition.key)).not.toContain('letter-decision-opening');
  });

  it('refuses wording that breaks the checks, saving nothing', async () => {
    const err = await service
      .saveLetter('letter-complaints', { body: 'Complain to ((complaints_team)).', version: 0 }, admin)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTemplateError);
    expect((err as InvalidTemplateError).problems.map((p) => p.message)).toEqual([
      expect.stringContaining('Wording uses ((complaints_team))'),
      'Wording must include ((council_contact)): the letter is no use without it',
    ]);
    expect((await service.letterForEditing('letter-complaints')).customised).toBe(false);
    expect(await audits()).toEqual([]);
  });

  it('a stale edit does not overwrite someone else’s; the default can be put back', async () => {
    await service.saveLetter('letter-confidentiality', { body: 'Keep this letter private.', version: 0 }, admin);
    await expect(
      service.saveLetter('letter-confidentiality', { body: 'Overwrite.', version: 0 }, admin),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await wordingFor('conference-record')).confidentiality).toBe('Keep this letter private.');
    const { version } = await service.letterForEditing('letter-confidentiality');
    await expect(service.resetLetter('letter-confidentiality', version - 1, admin)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await service.resetLetter('letter-confidentiality', version, admin);
    expect((await service.letterForEditing('letter-confidentiality')).customised).toBe(false);
    expect((await wordingFor('decision-letter')).confidentiality).toBe(def('letter-confidentiality').defaultBody);
    expect((await audits()).map((a) => a.action)).toEqual(['letter.wording.changed', 'letter.wording.reset']);
  });

  it('saved wording that no longer passes the checks gives way to the default, so no placeholder reaches a letter', async () => {
    await h.database.execute(
      `insert into message_templates (key, subject, body, updated_at, version) values ($1, '', $2, now(), 3)`,
      ['letter-exclusion-opening', 'Dear ((withdrawn_placeholder))'],
    );
    expect((await wordingFor('exclusion-letter')).opening).toMatch(/^Dear Sam Parent\n\nYou were not able/);
  });

  it('the preview uses example values and the council’s own name and contact; problems stop it', async () => {
    expect(
      service.previewLetter('letter-complaints', {
        body: 'Dear ((recipient_name)), complain to ((council_name)) via ((council_contact)).',
      }),
    ).toEqual({
      ok: true,
      preview: 'Dear Sam Example, complain to Eastshire Council via the conference team on 01234 567890.',
    });
    expect(service.previewLetter('letter-complaints', { body: 'No contact.' })).toMatchObject({ ok: false });
    expect(await audits()).toEqual([]);
  });

  it('lists every piece of letter wording, and an unknown key is not found', async () => {
    expect((await service.listLetters()).map((l) => l.definition.key)).toEqual(
      LETTER_TEMPLATE_DEFINITIONS.map((d) => d.key),
    );
    await expect(service.letterForEditing('copy-ready')).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.saveLetter('letter-nothing', { body: 'x', version: 0 }, admin)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
