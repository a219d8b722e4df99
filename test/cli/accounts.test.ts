import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/services.ts';
import { type CliSandbox, SLOW, cliSandbox } from './support.ts';

const MIGRATION_COUNT = (
  JSON.parse(readFileSync(new URL('../../src/infra/db/migrations/meta/_journal.json', import.meta.url), 'utf8')) as {
    entries: unknown[];
  }
).entries.length;

// Each CLI run starts a Node process and opens the database, so steps share runs where they can.
const SAM = { email: 'sam.worker@example.gov.uk', name: 'Sam Worker', password: '  spaces count too  ' };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe.each(testDatabases())('cpcr migrate, user and token commands (%s)', (kind) => {
  let box: CliSandbox;
  beforeAll(async () => {
    box = await cliSandbox(kind);
  });
  afterAll(async () => {
    await box?.dispose();
  });

  it(
    'migrates an empty database, then reports it up to date, from any working directory',
    async () => {
      const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'cpcr-cwd-'));
      try {
        const first = await box.run(['migrate'], { cwd: elsewhere });
        expect(first.stderr).toBe('');
        expect(first.code).toBe(0);
        // Every migration the repository ships, counted from drizzle's journal.
        expect(first.stdout).toMatch(new RegExp(`^Applied ${MIGRATION_COUNT} migrations to `));
        expect(first.stdout).toContain('0000_foundation');
        expect(first.stdout).toContain('0001_audit_append_only');
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
      const again = await box.run(['migrate']);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(
        new RegExp(`^Nothing to do: .* is up to date \\(${MIGRATION_COUNT} migrations applied\\)`),
      );
      expect(again.stdout).not.toContain('postgres@');
    },
    SLOW,
  );

  it(
    'creates an account from a password on standard input, and it can sign in',
    async () => {
      // Standard input is a pipe, so it is read without --password-stdin; one trailing CRLF is removed.
      const created = await box.run(
        [
          'user',
          'create',
          '--email',
          SAM.email,
          '--name',
          SAM.name,
          '--role',
          'social_worker',
          '--role',
          'chair,social_worker',
        ],
        { input: `${SAM.password}\r\n` },
      );
      expect(created.stderr).toContain(`Created the account of ${SAM.name}`);
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(new RegExp(`^${UUID.source}\\n$`));

      await box.withServices(async ({ accounts, database }) => {
        const signedIn = await accounts.signIn(SAM.email, SAM.password, {});
        if (!signedIn.ok) throw new Error(`cannot sign in: ${signedIn.reason}`);
        expect(signedIn.user.id).toBe(created.stdout.trim());
        expect(signedIn.user.roles).toEqual(['social_worker', 'chair']);
        // The operator chose the password: the person must choose their own at first sign-in.
        expect(signedIn.user.mustChangePassword).toBe(true);
        expect((await accounts.signIn(SAM.email, `${SAM.password}\r`, {})).ok).toBe(false);
        // The CLI is the actor in the audit trail.
        const { rows } = await database.execute(
          `select actor_user_id, actor_label from audit_events where action = 'user.create'`,
        );
        expect(rows).toEqual([{ actor_user_id: null, actor_label: expect.stringMatching(/^cli(:.+)?$/) }]);
      });
    },
    SLOW,
  );

  it(
    'lists accounts, creates a token (printing only the token), revokes it, and disables the account',
    async () => {
      const list = await box.run(['user', 'list']);
      expect(list.code).toBe(0);
      const [heading, row, ...rest] = list.stdout.trimEnd().split('\n');
      expect(heading).toMatch(/^EMAIL\s+NAME\s+ROLES\s+STATUS$/);
      // Roles in words for people, as on the Users pages; in the order they were given.
      expect(row).toMatch(new RegExp(`^${SAM.email}\\s+${SAM.name}\\s+Social worker, Conference chair\\s+active$`));
      expect(row).not.toContain('social_worker');
      expect(rest).toEqual([]);
      // --json is for scripts: role codes, which `user create --role` takes.
      const json = await box.run(['user', 'list', '--json']);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual([
        {
          id: expect.stringMatching(UUID),
          email: SAM.email,
          name: SAM.name,
          roles: ['social_worker', 'chair'],
          status: 'active',
        },
      ]);

      const created = await box.run([
        'token',
        'create',
        '--email',
        SAM.email,
        '--label',
        'Case system',
        '--expires-days',
        '30',
      ]);
      expect(created.code).toBe(0);
      // Only the token and a newline on stdout, so TOKEN=$(cpcr token create …) works; the rest on stderr.
      expect(created.stdout).toMatch(/^cpcr_[A-Za-z0-9_-]{20,}\n$/);
      const token = created.stdout.slice(0, -1);
      const tokenId = new RegExp(`Created API token (${UUID.source})`).exec(created.stderr)?.[1];
      expect(tokenId, created.stderr).toBeDefined();
      expect(created.stderr).toMatch(/expires 20\d\d-/);
      // Sam has not yet chosen their own password, so the API refuses the token until then: the operator is told.
      expect(created.stderr).toContain(`The password of ${SAM.email} is temporary: the API refuses this token`);

      const session = await box.withServices(async ({ accounts }) => {
        const resolved = await accounts.resolveApiToken(token);
        expect(resolved.ok && resolved.tokenId).toBe(tokenId);
        const signedIn = await accounts.signIn(SAM.email, SAM.password, {});
        if (!signedIn.ok) throw new Error('cannot sign in');
        return signedIn.sessionToken;
      });

      // An id typed in upper case is the same token, named in lower case.
      const revoked = await box.run(['token', 'revoke', '--id', tokenId!.toUpperCase()]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toBe(`Revoked API token ${tokenId}.\n`);
      const disabled = await box.run(['user', 'disable', '--email', SAM.email.toUpperCase()]);
      expect(disabled.code).toBe(0);
      expect(disabled.stdout).toContain(`Disabled the account of ${SAM.name}`);

      await box.withServices(async ({ accounts }) => {
        expect((await accounts.resolveApiToken(token)).ok).toBe(false);
        expect(
          (await accounts.listApiTokens((await accounts.findUserByEmail(SAM.email))!.id))[0]?.revokedAt,
        ).not.toBeNull();
        // Disabling ended the session.
        expect(await accounts.resolveSession(session)).toEqual({ ok: false, reason: 'unknown' });
        expect(await accounts.signIn(SAM.email, SAM.password, {})).toMatchObject({ ok: false, reason: 'disabled' });
      });
    },
    SLOW,
  );

  it(
    'user reset-link prints only a one-time link; the old password and sessions end at once',
    async () => {
      const TIA = { email: 'tia.manager@example.gov.uk', password: 'tia has a long password' };
      const session = await box.withServices(async ({ accounts }) => {
        await accounts.createUser(
          { email: TIA.email, name: 'Tia Manager', roles: ['team_manager'], password: TIA.password },
          { actor: { id: null, label: 'test' } },
        );
        const signedIn = await accounts.signIn(TIA.email, TIA.password, {});
        if (!signedIn.ok) throw new Error('cannot sign in');
        return signedIn.sessionToken;
      });
      const res = await box.run(['user', 'reset-link', TIA.email.toUpperCase()]);
      expect(res.stderr).toContain('Reset the password of Tia Manager');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^http:\/\/localhost:3000\/set-password\/[A-Za-z0-9_-]{43}\n$/);
      const token = res.stdout.trim().split('/').pop()!;
      await box.withServices(async ({ accounts, database }) => {
        expect(await accounts.resolveSession(session)).toEqual({ ok: false, reason: 'unknown' });
        expect((await accounts.signIn(TIA.email, TIA.password, {})).ok).toBe(false);
        expect((await accounts.passwordLinkFor(token))?.email).toBe(TIA.email);
        await accounts.completePasswordReset(token, 'tia chose this herself', {});
        expect((await accounts.signIn(TIA.email, 'tia chose this herself', {})).ok).toBe(true);
        const { rows } = await database.execute(
          `select actor_label, details from audit_events where action = 'user.password-reset'`,
        );
        expect(rows).toEqual([
          {
            actor_label: expect.stringMatching(/^cli/),
            details: expect.objectContaining({ delivery: 'shown-once', sessionsEnded: 1 }),
          },
        ]);
      });
      const nobody = await box.run(['user', 'reset-link', 'nobody@example.gov.uk']);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toBe('error: no account has the email address nobody@example.gov.uk\n');
    },
    SLOW,
  );

  it(
    'fails with exit 1 and a reason when the account does not exist',
    async () => {
      const nobody = await box.run(['token', 'create', '--email', 'nobody@example.gov.uk', '--label', 'x']);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toBe('error: no account has the email address nobody@example.gov.uk\n');
      expect(nobody.stdout).toBe('');
    },
    SLOW,
  );
});
