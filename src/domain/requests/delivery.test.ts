import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DELIVERY_SETTINGS,
  afterWrongCode,
  assertActive,
  assertDownloadAllowed,
  codeExpiry,
  codeIssueAllowed,
  codeState,
  deliverySettings,
  deliveryState,
  linkExpiry,
  minutesText,
  normaliseCode,
  revocationReason,
} from './delivery.ts';

const t0 = new Date('2026-04-14T09:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const S = DEFAULT_DELIVERY_SETTINGS;

describe('A-6 delivery link', () => {
  it('A-6: the link works for 14 days by default, and the council can set 1 to 90 days', () => {
    expect(linkExpiry(t0, S)).toEqual(new Date('2026-04-28T09:00:00Z'));
    expect(linkExpiry(t0, deliverySettings({ linkLifetimeDays: 7 }))).toEqual(new Date('2026-04-21T09:00:00Z'));
    expect(() => deliverySettings({ linkLifetimeDays: 0 })).toThrow(/between 1 and 90 days/);
    expect(() => deliverySettings({ linkLifetimeDays: 91 })).toThrow(/between 1 and 90 days/);
    expect(() => deliverySettings({ downloadsPerFile: 0 })).toThrow(/between 1 and 20/);
    expect(S.downloadsPerFile).toBe(3);
  });

  it('A-6: a download window lasts two hours by default, and never less than the grant a code gives', () => {
    expect(S.downloadWindowMs).toBe(2 * 60 * 60_000);
    expect(deliverySettings({ downloadWindowMs: S.grantLifetimeMs }).downloadWindowMs).toBe(S.grantLifetimeMs);
    expect(() => deliverySettings({ downloadWindowMs: S.grantLifetimeMs - 1 })).toThrow(
      /at least as long as the grant/,
    );
  });

  const facts = (over: Partial<Parameters<typeof deliveryState>[0]> = {}) => ({
    expiresAt: linkExpiry(t0, S),
    revokedAt: null,
    downloadLimit: 3,
    downloadsByFile: [
      { fileId: 'a', downloads: 0 },
      { fileId: 'b', downloads: 3 },
    ],
    ...over,
  });

  it('A-6: active until the moment it expires, then expired', () => {
    expect(deliveryState(facts(), new Date('2026-04-28T08:59:59.999Z'))).toBe('active');
    expect(deliveryState(facts(), new Date('2026-04-28T09:00:00Z'))).toBe('expired');
  });

  it('A-6: revocation wins over expiry and over downloads', () => {
    expect(deliveryState(facts({ revokedAt: t0 }), t0)).toBe('revoked');
    expect(deliveryState(facts({ revokedAt: t0 }), new Date('2030-01-01T00:00:00Z'))).toBe('revoked');
  });

  it('A-6: used up only when every file has reached the limit', () => {
    expect(deliveryState(facts(), t0)).toBe('active');
    expect(
      deliveryState(
        facts({
          downloadsByFile: [
            { fileId: 'a', downloads: 3 },
            { fileId: 'b', downloads: 4 },
          ],
        }),
        t0,
      ),
    ).toBe('used-up');
    expect(deliveryState(facts({ downloadsByFile: [] }), t0)).toBe('active');
  });

  it('A-6: each state but active has its own error code', () => {
    expect(() => assertActive('revoked')).toThrow(expect.objectContaining({ code: 'DELIVERY_REVOKED' }));
    expect(() => assertActive('expired')).toThrow(expect.objectContaining({ code: 'DELIVERY_EXPIRED' }));
    expect(() => assertActive('used-up')).toThrow(expect.objectContaining({ code: 'DELIVERY_USED_UP' }));
    expect(() => assertActive('active')).not.toThrow();
  });

  it('A-6: the third download of a file is the last one', () => {
    expect(() => assertDownloadAllowed(2, 3)).not.toThrow();
    expect(() => assertDownloadAllowed(3, 3)).toThrow(expect.objectContaining({ code: 'DOWNLOAD_LIMIT_REACHED' }));
  });

  it('A-6: a revocation needs a reason of at most 500 characters', () => {
    expect(revocationReason('  Wrong address  ')).toBe('Wrong address');
    expect(() => revocationReason(' ')).toThrow('Enter why the link is being cancelled');
    expect(() => revocationReason('x'.repeat(501))).toThrow(/500 characters/);
  });
});

describe('A-6 one-time codes', () => {
  const code = (over: Partial<Parameters<typeof codeState>[0]> = {}) => ({
    issuedAt: t0,
    expiresAt: codeExpiry(t0, S),
    wrongAttempts: 0,
    usedAt: null,
    voidedAt: null,
    ...over,
  });

  it('A-6: a code works for 10 minutes, once', () => {
    expect(codeState(code(), minutes(9.99))).toBe('usable');
    expect(codeState(code(), minutes(10))).toBe('expired');
    expect(codeState(code({ usedAt: minutes(1) }), minutes(2))).toBe('used');
    expect(codeState(code({ voidedAt: minutes(1) }), minutes(2))).toBe('void');
  });

  it('A-6: the fifth wrong entry voids the code', () => {
    let attempts = 0;
    const seen: Array<{ void: boolean; remaining: number }> = [];
    for (let i = 0; i < 5; i++) {
      const r = afterWrongCode(attempts, S);
      attempts = r.wrongAttempts;
      seen.push({ void: r.void, remaining: r.remaining });
    }
    expect(seen).toEqual([
      { void: false, remaining: 4 },
      { void: false, remaining: 3 },
      { void: false, remaining: 2 },
      { void: false, remaining: 1 },
      { void: true, remaining: 0 },
    ]);
  });

  it('A-6: at most five codes in any hour; the sixth may be sent when the oldest leaves the window', () => {
    const sent = [0, 5, 10, 15, 20].map(minutes);
    expect(codeIssueAllowed(sent.slice(0, 4), minutes(21), S)).toEqual({ allowed: true });
    expect(codeIssueAllowed(sent, minutes(21), S)).toEqual({ allowed: false, retryAt: minutes(60) });
    expect(codeIssueAllowed(sent, minutes(60), S)).toEqual({ allowed: true });
  });

  it('A-6: a typed code may carry spaces or hyphens; anything but six digits is not a code', () => {
    expect(normaliseCode(' 482 915 ')).toBe('482915');
    expect(normaliseCode('482-915')).toBe('482915');
    expect(normaliseCode('48291')).toBeNull();
    expect(normaliseCode('4829150')).toBeNull();
    expect(normaliseCode('48291a')).toBeNull();
  });

  it('durations in plain English', () => {
    expect(minutesText(10 * 60_000)).toBe('10 minutes');
    expect(minutesText(60_000)).toBe('1 minute');
    expect(minutesText(60 * 60_000)).toBe('1 hour');
  });
});
