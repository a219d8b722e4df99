import { describe, expect, it } from 'vitest';
import {
  MailError,
  SECURITY_MARKING,
  TEMPLATE_DEFINITIONS,
  callerPlaceholders,
  exampleValues,
  placeholdersIn,
  renderMessage,
  templateDefinition,
  validateTemplateText,
} from './templates.ts';

const copyReady = templateDefinition('copy-ready')!;
const values = {
  requester_name: 'Jordan Requester',
  request_reference: 'CR-1',
  download_link: 'https://cpcr.example.test/download/abc',
  expires_on: '30 April 2026',
  chair_name: 'Sam Chair',
  conference_date: '16 March 2026',
  reply_to: 'support@council.example',
  council_name: 'Northshire County Council',
};

describe('the default wording', () => {
  it('has every email the requests workflow sends (A-3, A-5, A-6, A-7)', () => {
    expect(TEMPLATE_DEFINITIONS.map((d) => d.key)).toEqual(
      expect.arrayContaining([
        'email-confirmation',
        'copy-ready',
        'one-time-code',
        'request-referred',
        'copy-sent-chair',
        'copy-sent-social-worker',
        'copy-sent-qa-manager',
      ]),
    );
  });

  it.each(TEMPLATE_DEFINITIONS.map((d) => [d.key, d] as const))(
    '%s passes its own validation and uses only its placeholders',
    (_key, def) => {
      expect(validateTemplateText(def, { subject: def.defaultSubject, body: def.defaultBody })).toEqual([]);
      for (const name of [...placeholdersIn(def.defaultSubject), ...placeholdersIn(def.defaultBody)])
        expect(def.placeholders.map((p) => p.name)).toContain(name);
    },
  );

  it('A-5: asks the requester to confirm the address is secure and to give each child’s full name and date of birth', () => {
    const body = templateDefinition('email-confirmation')!.defaultBody;
    expect(body).toMatch(/email address is secure/);
    expect(body).toMatch(/full name and date of birth of each child/);
    expect(body).toMatch(/will not send the recording until we have your reply/);
  });

  it('A-6: links to the download page, says a one-time code will follow, and that the recording is confidential and not to be shared', () => {
    expect(copyReady.defaultBody).toContain('((download_link))');
    expect(copyReady.defaultBody).toMatch(/one-time code/);
    expect(copyReady.defaultBody).toMatch(/confidential/);
    expect(copyReady.defaultBody).toMatch(/Do not share it/);
  });

  it('000 Appendix 1: the request for details names the chair and the conference date and asks the requester to be mindful of others reading their email', () => {
    const def = templateDefinition('email-confirmation')!;
    const r = renderMessage(
      def,
      { subject: def.defaultSubject, body: def.defaultBody },
      {
        requester_name: 'Jordan Requester',
        request_reference: 'CR-1',
        chair_name: 'Sam Chair',
        conference_date: '16 March 2026',
        reply_to: 'support@council.example',
        council_name: 'Northshire County Council',
      },
    );
    expect(r.text).toContain('Sam Chair, the conference chair, has told us');
    expect(r.text).toContain('on 16 March 2026');
    expect(r.text).toMatch(/mindful of other people who may be able to read your emails/);
    expect(r.text).not.toMatch(/\(\(|\)\)/);
  });

  it('000 Appendix 2: the copy-ready email names the conference date and asks the requester to be mindful of others reading their email', () => {
    const r = renderMessage(copyReady, { subject: copyReady.defaultSubject, body: copyReady.defaultBody }, values);
    expect(r.text).toContain('child protection conference on 16 March 2026');
    expect(r.text).toMatch(/mindful of other people who may be able to read your emails/);
  });

  it('000 Appendix 1 and 2: an administrator may use the chair and conference date, but a misspelt placeholder is refused with the ones allowed', () => {
    const def = templateDefinition('email-confirmation')!;
    expect(
      validateTemplateText(def, { subject: 'About ((conference_date))', body: '((chair_name)) ((reply_to))' }),
    ).toEqual([]);
    const [problem] = validateTemplateText(def, { subject: 's', body: '((chairName)) ((reply_to))' });
    expect(problem).toEqual({
      field: 'body',
      message: expect.stringMatching(
        /^Message uses \(\(chairName\)\), which is not a placeholder this email can use\. Use only .*\(\(chair_name\)\), \(\(conference_date\)\)/,
      ),
    });
  });

  it('staff notifications link to the service instead of carrying the request’s details (A-3, A-7)', () => {
    for (const key of [
      'request-referred',
      'copy-sent-chair',
      'copy-sent-social-worker',
      'copy-sent-qa-manager',
      'confirmation-failed',
    ]) {
      const def = templateDefinition(key)!;
      expect(def.placeholders.find((p) => p.name === 'request_link')?.requiredInBody).toBe(true);
      expect(def.placeholders.map((p) => p.name)).not.toContain('requester_name');
    }
  });
});

describe('rendering', () => {
  it('fills every placeholder and marks the message OFFICIAL-SENSITIVE at its top and bottom, and in the subject', () => {
    const r = renderMessage(copyReady, { subject: copyReady.defaultSubject, body: copyReady.defaultBody }, values);
    expect(r.text.startsWith(`${SECURITY_MARKING}\n\n`)).toBe(true);
    expect(r.text.trimEnd().endsWith(`\n\n${SECURITY_MARKING}`)).toBe(true);
    expect(r.subject).toBe(`${SECURITY_MARKING}: Your copy of the conference recording is ready`);
    expect(r.text).toContain('Dear Jordan Requester');
    expect(r.text).toContain('https://cpcr.example.test/download/abc');
    expect(r.text).not.toMatch(/\(\(|\)\)/);
  });

  it('does not mark a subject twice', () => {
    const r = renderMessage(copyReady, { subject: 'OFFICIAL-SENSITIVE: ready', body: '((download_link))' }, values);
    expect(r.subject).toBe('OFFICIAL-SENSITIVE: ready');
  });

  it('refuses a message without a value for every placeholder the template may use, naming them', () => {
    const { download_link: _omitted, ...rest } = values;
    expect(() => renderMessage(copyReady, { subject: 's', body: 'no placeholders used' }, rest)).toThrow(
      /needs a value for \(\(download_link\)\)/,
    );
    expect(() => renderMessage(copyReady, { subject: 's', body: 'b' }, { ...values, expires_on: '   ' })).toThrow(
      MailError,
    );
  });

  it('refuses values for placeholders the template does not have', () => {
    expect(() => renderMessage(copyReady, { subject: 's', body: 'b' }, { ...values, child_name: 'x' })).toThrow(
      /has no placeholder \(\(child_name\)\)/,
    );
  });

  it('inserts values once: a value that looks like a placeholder stays as typed', () => {
    const r = renderMessage(
      copyReady,
      { subject: 'For ((requester_name))', body: 'Hello ((requester_name)), ((download_link))' },
      { ...values, requester_name: '((download_link))' },
    );
    expect(r.text).toContain('Hello ((download_link)), https://cpcr.example.test/download/abc');
  });

  it('keeps the subject on one line whatever a value holds (no header injection)', () => {
    const r = renderMessage(
      copyReady,
      { subject: 'For ((requester_name))', body: '((download_link))' },
      { ...values, requester_name: 'A\r\nBcc: someone@example.com' },
    );
    expect(r.subject).toBe('OFFICIAL-SENSITIVE: For A Bcc: someone@example.com');
    expect(r.subject).not.toMatch(/[\r\n]/);
  });

  it('the preview values cover every placeholder', () => {
    for (const def of TEMPLATE_DEFINITIONS)
      expect(() =>
        renderMessage(def, { subject: def.defaultSubject, body: def.defaultBody }, exampleValues(def)),
      ).not.toThrow();
  });

  it('callers pass everything but the council’s name, which the service fills in', () => {
    expect(callerPlaceholders(copyReady)).toEqual([
      'requester_name',
      'request_reference',
      'download_link',
      'expires_on',
      'chair_name',
      'conference_date',
      'reply_to',
    ]);
  });
});

describe('validating an administrator’s wording', () => {
  const ok = { subject: 'Ready: ((request_reference))', body: 'Download it: ((download_link))' };

  it('accepts wording that uses only the template’s placeholders and includes the ones it needs', () => {
    expect(validateTemplateText(copyReady, ok)).toEqual([]);
  });

  it('refuses unknown placeholders in the body and the subject, listing the ones it can use', () => {
    const problems = validateTemplateText(copyReady, {
      subject: 'For ((child_name))',
      body: 'Hello ((Requester Name)) ((download_link))',
    });
    expect(problems).toEqual([
      {
        field: 'subject',
        message: expect.stringMatching(
          /^Subject uses \(\(child_name\)\), which is not a placeholder this email can use\. Use only \(\(requester_name\)\), /,
        ),
      },
      {
        field: 'body',
        message: expect.stringMatching(/^Message uses \(\(Requester Name\)\), which is not a placeholder/),
      },
    ]);
  });

  it('refuses wording without a placeholder the email is no use without', () => {
    expect(validateTemplateText(copyReady, { subject: 's', body: 'Your copy is ready.' })).toEqual([
      { field: 'body', message: 'Message must include ((download_link)): the email is no use without it' },
    ]);
    expect(
      validateTemplateText(templateDefinition('one-time-code')!, { subject: 's', body: 'Here is your code.' })[0]
        ?.message,
    ).toContain('((code))');
  });

  it('refuses a stray (( or )) that is not a placeholder', () => {
    expect(
      validateTemplateText(copyReady, { subject: 's', body: 'See ((download_link)) and ((request_reference)' })[0]
        ?.message,
    ).toMatch(/not part of a placeholder/);
  });

  it('refuses empty, over-long or multi-line subjects and empty or over-long messages', () => {
    expect(validateTemplateText(copyReady, { subject: '  ', body: '' })).toEqual([
      { field: 'subject', message: 'Enter a subject' },
      { field: 'body', message: 'Enter the message' },
    ]);
    expect(
      validateTemplateText(copyReady, { subject: 'x'.repeat(181), body: `${'x'.repeat(10_001)}` }).map(
        (p) => p.message,
      ),
    ).toEqual(['Subject must be 180 characters or fewer', 'Message must be 10,000 characters or fewer']);
    expect(validateTemplateText(copyReady, { subject: 'a\nb', body: ok.body })).toEqual([
      { field: 'subject', message: 'Subject must be on one line' },
    ]);
  });
});
