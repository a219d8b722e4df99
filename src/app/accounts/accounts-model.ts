/** What the account use cases share: their ports and settings, the password rules, and what they answer. */
import type { Actor } from '../../domain/access/roles.ts';
import type { EmailToQueue } from '../mail/mail-service.ts';
import type { Clock, Repositories, UnitOfWork } from '../unit-of-work.ts';
import type { UserRecord } from './ports.ts';

export interface PasswordHasherPort {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string | null): Promise<boolean>;
}

export interface SecretsPort {
  newToken(prefix?: string): string;
  hash(token: string): string;
}

/** How a password reset link reaches the person: by email, unless the service sends none (MAIL_TRANSPORT=outbox). */
export interface AccountsMailPort {
  readonly transportName: 'outbox' | 'smtp' | 'notify';
  queueWithin(repos: Repositories, email: EmailToQueue): Promise<{ messageId: string }>;
  dispatch(...messageIds: string[]): Promise<void>;
}

export interface AccountsSettings {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** Failed sign-ins against one account from one client address before that address is locked out of it. */
  signInMaxAttempts: number;
  /** The window in which failed attempts count towards a lock-out. */
  signInWindowMs: number;
  setupLinkTtlMs: number;
  /** Where links printed or emailed by the service point, e.g. https://cpcr.example.gov.uk */
  publicBaseUrl: string;
  /** How long a form posted after its session ended is kept for its author. */
  keptFormTtlMs: number;
  /** OIDC_ONLY: everyone else signs in with the council's provider; a password works for administrators only (break-glass). */
  passwordSignInForAdministratorsOnly?: boolean;
}

/**
 * Lock-outs (see `signIn`). An address is stopped for every account after this many times the per-account
 * limit, so one client cannot guess across many accounts; an account is locked for every address after
 * `ACCOUNT_WIDE_FACTOR` times the limit, so guessing spread over many addresses is bounded too.
 */
export const ADDRESS_WIDE_FACTOR = 3;
export const ACCOUNT_WIDE_FACTOR = 10;

export const RESET_LINK_PATH = '/set-password/';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Refusals for an account that signs in through the council's identity provider: its password is the council's. */
export const COUNCIL_PASSWORD_RESET =
  'This person signs in with their council account, so there is no password here to reset. The council’s IT service desk resets council passwords';
export const COUNCIL_PASSWORD_OWN =
  'You sign in with your council account, so there is no password here to change. Change your council password with the council’s IT service desk';

export type SignInResult =
  | { ok: true; user: UserRecord; sessionToken: string }
  /** `throttled`: the client address has failed too often, whatever the account (says nothing about any account). */
  | { ok: false; reason: 'invalid' | 'locked' | 'disabled' | 'throttled' };

export type SessionLookup =
  /** `secondFactorDue`: started with a password, the session waits for the second factor and is good for nothing else. */
  | { ok: true; user: UserRecord; actor: Actor; secondFactorDue: boolean }
  /** `userId`: whose session timed out, so a form they posted can be kept for them alone. */
  | { ok: false; reason: 'unknown' | 'idle' | 'expired' | 'disabled'; userId?: string };

/** The reset link and how it reached the person: emailed, or (no email service) to be given to them by hand. */
export type ResetLinkResult =
  | { delivery: 'emailed'; expiresAt: Date }
  /** The link to give the person (`user`) by hand. */
  | { delivery: 'show-once'; link: string; expiresAt: Date; user: UserRecord };

export function validatePassword(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be ${PASSWORD_MIN_LENGTH} characters or more`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  return null;
}

export function toActor(user: UserRecord): Actor {
  return { id: user.id, name: user.name, roles: user.roles };
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the account use cases work with. */
export interface AccountsDeps {
  uow: UnitOfWork;
  hasher: PasswordHasherPort;
  secrets: SecretsPort;
  clock: Clock;
  settings: AccountsSettings;
  mail: AccountsMailPort;
  /** A keyed hash of a client address: failures are counted per address without storing it. */
  addressKey: (address: string) => string;
}
