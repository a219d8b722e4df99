/**
 * Secrets in email: a requester's download link and one-time code. They are for the requester
 * alone, so the outbox keeps them in a form nobody can use. The message an administrator reads (and the
 * stored `subject` and `body`) always has them masked; the usable text is kept apart (`sealed`) only
 * until the transport (SMTP or GOV.UK Notify) has accepted the message, then removed; a message the
 * transport failed or refused keeps it, so it can be sent again once the fault is put right. With the outbox
 * transport nothing is ever sent, so the usable text is never stored at all: the outbox is for checking
 * what was sent, not for using it.
 */

/** Placeholders whose values let whoever reads them act as the recipient. */
// A staff member's password reset link is one too: an administrator reading the outbox must not be able to use it.
export const SECRET_PLACEHOLDERS: ReadonlySet<string> = new Set(['download_link', 'code', 'reset_link', 'form_link']);

export const MASK = '••••••••';

/** A link keeps its address up to the last `/` so staff can see where it pointed; anything else is masked whole. */
export function maskSecret(value: string): string {
  const v = value.trim();
  if (/^https?:\/\//i.test(v)) return v.replace(/[^/]*$/, MASK);
  return MASK;
}

/** `values` with every secret placeholder masked, and whether there was any. */
export function maskedValues(values: Readonly<Record<string, string>>): {
  values: Record<string, string>;
  masked: boolean;
} {
  let masked = false;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (SECRET_PLACEHOLDERS.has(k) && v.trim() !== '') {
      out[k] = maskSecret(v);
      masked = true;
    } else out[k] = v;
  }
  return { values: out, masked };
}
