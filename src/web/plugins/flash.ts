import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * One-time confirmation banners after a redirect ("post, redirect, get").
 *
 * The handler that saved something calls `reply.flash('child-added')` before redirecting; the next page
 * rendered with `reply.view` shows the message as a success notification banner (in the layout) and the
 * flash is gone. Only a key from this catalogue travels, in a short-lived signed cookie: no personal data
 * in a URL or a cookie, nothing to store server-side, and it works whichever instance serves the next page.
 * The page the user lands on already shows whose record it is, so the message need not name anyone.
 */
export const FLASH_MESSAGES = {
  'child-added': { heading: 'Child added', text: 'The child’s record has been created.' },
  'child-saved': { heading: 'Child’s details saved', text: 'The changes to the child’s details have been saved.' },
  'family-member-added': { heading: 'Family member added', text: 'They are now linked to the child’s record.' },
  'family-member-saved': {
    heading: 'Family member’s details saved',
    text: 'The changes to the family member have been saved.',
  },
  'family-member-removed': {
    heading: 'Family member removed',
    text: 'They are no longer linked to the child’s record.',
  },
  'professional-added': { heading: 'Professional added', text: 'They are now linked to the child’s record.' },
  'professional-removed': { heading: 'Professional removed', text: 'They are no longer linked to the child’s record.' },
  'case-note-added': { heading: 'Case note added', text: 'It is now on the child’s record.' },
  'password-changed': {
    heading: 'Password changed',
    text: 'Use your new password next time you sign in. You have been signed out everywhere else.',
  },
  'user-created': { heading: 'User added', text: 'They must choose their own password when they first sign in.' },
  'user-details-saved': { heading: 'Details saved', text: 'The name and email address have been saved.' },
  'user-roles-saved': { heading: 'Roles saved', text: 'The changes take effect on their next page.' },
  'user-line-manager-saved': {
    heading: 'Line manager saved',
    text: 'Conferences warn when their chair manages a child’s social worker.',
  },
  'user-disabled': {
    heading: 'Account disabled',
    text: 'They have been signed out everywhere and their API tokens no longer work.',
  },
  'user-roles-given': {
    heading: 'Roles given',
    text: 'The account is enabled. They can sign in with their council account now.',
  },
  'user-enabled': {
    heading: 'Account enabled',
    text: 'They can sign in again. Their old API tokens still do not work.',
  },
  'password-reset-emailed': {
    heading: 'Password reset',
    text: 'We have emailed them a link to set a new password. It works once, for 24 hours.',
  },
  'conference-convened': {
    heading: 'Conference convened',
    text: 'The arrangements are saved. Invite people and record their invitations as sent from this page.',
  },
  'conference-invited': {
    heading: 'People invited',
    text: 'They are on the list of people invited. Send each invitation, then record it as sent.',
  },
  'conference-report-added': {
    heading: 'Report added',
    text: 'Share it with the family, or record why it is withheld, by the date shown.',
  },
  'conference-rearranged': {
    heading: 'Conference changed',
    text: 'Everyone who had been sent an invitation has been sent a new one: by email, or as a letter to post shown below.',
  },
  'conference-cancelled': {
    heading: 'Conference cancelled',
    text: 'Everyone who had been sent an invitation has been told: by email, or by a letter to post.',
  },
  'conference-recorded-afterwards': {
    heading: 'Conference recorded',
    text: 'Invite the people who took part, then hold it from this page to record the register, decisions and plan.',
  },
  'invitations-emailed': {
    heading: 'Invitations sent by email',
    text: 'Each person’s status shows when their email has been sent.',
  },
  'invitations-posted': { heading: 'Letters recorded as posted', text: 'They are recorded as posted today.' },
  'recovery-code-used': {
    heading: 'You signed in with a recovery code',
    text: 'That code will not work again. If you have few left, get new ones from your account’s sign-in security page.',
  },
  'passkey-added': { heading: 'Passkey added', text: 'You can use it to sign in instead of a code.' },
  'passkey-removed': { heading: 'Passkey removed', text: 'It can no longer be used to sign in.' },
  'second-factor-reset': {
    heading: 'Sign-in security reset',
    text: 'They have been signed out and will set up an authenticator app when they next sign in.',
  },
} as const satisfies Record<string, FlashMessage>;

export type FlashKey = keyof typeof FLASH_MESSAGES;

export interface FlashMessage {
  heading: string;
  text: string;
}

/** Long enough for the redirect to be followed, short enough that a flash never surprises a later visit. */
const FLASH_MAX_AGE_SECONDS = 120;

export function flashCookieName(secure: boolean): string {
  return secure ? '__Host-cpcr_flash' : 'cpcr_flash';
}

declare module 'fastify' {
  interface FastifyReply {
    /** Shows `FLASH_MESSAGES[key]` as a success banner on the next page rendered for this browser. */
    flash(key: FlashKey): FastifyReply;
  }
  interface FastifyRequest {
    /** The pending flash for this request, read once: a second call in the same request returns null. */
    takeFlash(reply: FastifyReply): FlashMessage | null;
  }
}

export const flashPlugin = fp(async (app: FastifyInstance, opts: { cookieSecure: boolean }) => {
  const name = flashCookieName(opts.cookieSecure);
  const cookieOpts = { path: '/', httpOnly: true, secure: opts.cookieSecure, sameSite: 'lax' as const };

  app.decorateReply('flash', function flash(this: FastifyReply, key: FlashKey) {
    return this.setCookie(name, key, { ...cookieOpts, signed: true, maxAge: FLASH_MAX_AGE_SECONDS });
  });

  app.decorateRequest('takeFlash', function takeFlash(this: FastifyRequest, reply: FastifyReply): FlashMessage | null {
    const raw = this.cookies[name];
    if (raw === undefined) return null;
    // Consumed once, whatever it held: a tampered or unknown value is simply dropped.
    delete this.cookies[name];
    reply.clearCookie(name, cookieOpts);
    const unsigned = this.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null) return null;
    return Object.hasOwn(FLASH_MESSAGES, unsigned.value) ? FLASH_MESSAGES[unsigned.value as FlashKey] : null;
  });
});
