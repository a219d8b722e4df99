import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/services.ts';
import { type CliSandbox, SLOW, cliSandbox } from './support.ts';

const ADA = { email: 'ada.admin@example.gov.uk', name: 'Ada Admin', password: 'ada has a long password' };
const system = { actor: { id: null, label: 'test' } };

describe.each(testDatabases())('cpcr user reset-second-factor (%s)', (kind) => {
  let box: CliSandbox;
  beforeAll(async () => {
    box = await cliSandbox(kind);
  });
  afterAll(async () => {
    await box?.dispose();
  });

  it(
    'resets the break-glass administrator’s second factor with a reason: audited, signed out, set up again next time',
    async () => {
      await box.withServices(async ({ accounts, secondFactor }) => {
        const ada = await accounts.createUser({ ...ADA, roles: ['admin'], password: ADA.password }, system);
        const { secret } = await secondFactor.startAppEnrolment(ada);
        // Computed at the moment of use; the service accepts one step either side.
        const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
        await secondFactor.confirmAppEnrolment(ada.id, code, null, system);
        expect((await secondFactor.status(ada.id)).enrolled).toBe(true);
      });

      const noReason = await box.run(['user', 'reset-second-factor', ADA.email]);
      expect(noReason.code).toBe(2); // a usage error, like any missing option
      expect(noReason.stderr).toContain('--reason');

      const res = await box.run(['user', 'reset-second-factor', ADA.email, '--reason', 'Phone lost; seen in person']);
      expect(res.stderr).toContain('Reset the sign-in security of Ada Admin');
      expect(res.code).toBe(0);
      expect(res.stdout).toBe('');
      await box.withServices(async ({ accounts, secondFactor, database }) => {
        const ada = (await accounts.findUserByEmail(ADA.email))!;
        expect((await secondFactor.status(ada.id)).enrolled).toBe(false);
        const { rows } = await database.execute(
          `select actor_label, details from audit_events where action = 'second-factor.reset'`,
        );
        expect(rows).toEqual([
          {
            actor_label: expect.stringMatching(/^cli/),
            details: expect.objectContaining({ reason: 'Phone lost; seen in person' }),
          },
        ]);
      });

      const nobody = await box.run(['user', 'reset-second-factor', 'nobody@example.gov.uk', '--reason', 'x']);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toBe('error: no account has the email address nobody@example.gov.uk\n');
    },
    SLOW,
  );
});
