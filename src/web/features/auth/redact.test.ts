import { describe, expect, it } from 'vitest';
import { createTestServices } from '../../../../test/support/services.ts';
import { appLoggerOptions, buildApp } from '../../app.ts';
import { redactOneTimeLinks } from './redact.ts';

describe('one-time links in log lines', () => {
  it('replaces the token of a set-up or password reset link, wherever it appears in the line', () => {
    const token = 'Zx9_-abcdefghijklmnopqrstuvwxyz0123456789ABCDE';
    const line = `{"msg":"Route GET:/set-password/${token}/x not found","url":"https://cpcr.example/setup/${token}"}`;
    const out = redactOneTimeLinks(line);
    expect(out).not.toContain(token);
    expect(out).toContain('/set-password/[redacted]/x');
    expect(out).toContain('/setup/[redacted]');
    expect(redactOneTimeLinks('{"route":"/set-password/:token"}')).toBe('{"route":"/set-password/:token"}');
  });

  it('no reset token reaches the service’s log, from the page or a mistyped link', async () => {
    const ctx = await createTestServices('pglite');
    const lines: string[] = [];
    const app = await buildApp(ctx.services, {
      logger: appLoggerOptions('trace', { write: (line) => void lines.push(line) }),
    });
    try {
      const user = await ctx.services.accounts.createUser(
        { email: 'rae@council.gov.uk', name: 'Rae', roles: ['chair'], password: null },
        { actor: { id: null, label: 'test' } },
      );
      const reset = await ctx.services.accounts.resetPassword(user.id, { actor: { id: null, label: 'test' } });
      if (reset.delivery !== 'show-once') throw new Error('expected a link');
      const path = new URL(reset.link).pathname;
      const token = path.split('/').pop()!;
      expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `${path}/more` })).statusCode).toBe(404);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await app.close();
      await ctx.dispose();
    }
  });
});
