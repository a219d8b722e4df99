import { describe, expect, it } from 'vitest';
import { MASK, maskedValues, maskSecret } from './secrets.ts';

describe('A-6: secrets in email are masked for the outbox', () => {
  it('keeps a link’s address up to its last part and masks the token; masks a code whole', () => {
    expect(maskSecret('https://cpcr.council.example/copy/Zk3_abc-DEF')).toBe(
      `https://cpcr.council.example/copy/${MASK}`,
    );
    expect(maskSecret('482915')).toBe(MASK);
  });

  it('masks only the secret placeholders, and says whether there were any', () => {
    expect(
      maskedValues({ requester_name: 'Jordan', download_link: 'https://x.example/copy/tok', code: '123456' }),
    ).toEqual({
      values: { requester_name: 'Jordan', download_link: `https://x.example/copy/${MASK}`, code: MASK },
      masked: true,
    });
    expect(maskedValues({ request_reference: 'CR-2026-0007', request_link: 'https://x.example/requests/1' })).toEqual({
      values: { request_reference: 'CR-2026-0007', request_link: 'https://x.example/requests/1' },
      masked: false,
    });
  });
});
