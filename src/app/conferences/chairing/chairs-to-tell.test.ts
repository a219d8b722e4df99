/**
 * 002 §4.1, P-9, T-11: who a chair's notice goes to: the assigned chair and the recorded cover chair, never a disabled
 * account, once each; the cover chair alone when the assigned chair's account is disabled.
 */
import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../../accounts/ports.ts';
import { chairsToTell, everyoneIn } from './chairs-to-tell.ts';

const user = (id: string, disabled = false): UserRecord => ({
  id,
  email: `${id}@example.gov.uk`,
  name: id,
  roles: ['chair'],
  passwordHash: null,
  mustChangePassword: false,
  disabledAt: disabled ? new Date('2026-03-01T00:00:00Z') : null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
});

function reposWith(...users: UserRecord[]): Parameters<typeof chairsToTell>[0] {
  return { accounts: { findUserById: async (id: string) => users.find((u) => u.id === id) ?? null } };
}

const ids = async (...args: Parameters<typeof chairsToTell>) =>
  everyoneIn(await chairsToTell(...args)).map((u) => u.id);

describe('who a notice for the chair goes to (002 §4.1, P-9, T-11)', () => {
  it('the chair alone without cover; the chair and the cover chair while cover is recorded', async () => {
    const repos = reposWith(user('cal'), user('omar'));
    expect(await ids(repos, { chairUserId: 'cal', coverChairUserId: null })).toEqual(['cal']);
    expect(await ids(repos, { chairUserId: 'cal', coverChairUserId: 'omar' })).toEqual(['cal', 'omar']);
  });

  it('no disabled account: the cover chair alone when the chair’s is disabled, the fallback before them', async () => {
    const repos = reposWith(user('cal', true), user('omar'), user('told'), user('gone', true));
    expect(await ids(repos, { chairUserId: 'cal', coverChairUserId: 'omar' })).toEqual(['omar']);
    expect(await ids(repos, { chairUserId: 'cal', coverChairUserId: 'omar' }, ['told'])).toEqual(['told', 'omar']);
    expect(await ids(repos, { chairUserId: 'cal', coverChairUserId: 'gone' })).toEqual([]);
  });

  it('once each: the fallback who is also the cover chair is told once', async () => {
    const repos = reposWith(user('cal', true), user('omar'));
    expect(await ids(repos, { chairUserId: 'cal', coverChairUserId: 'omar' }, ['omar'])).toEqual(['omar']);
  });
});
