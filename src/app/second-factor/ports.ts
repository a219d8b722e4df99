/** What the second factor needs from the outside: an authenticator-app algorithm, a sealed box and passkey checks. */

export interface TotpPort {
  /** A new random secret, base32 (as authenticator apps expect). */
  newSecret(): string;
  /** The otpauth:// address an authenticator app reads (from a QR code, or typed in). */
  uri(input: { issuer: string; label: string; secret: string }): string;
  /**
   * The time step of `code` if it is right at `at`, one step either side allowed for clocks that drift;
   * null when it is wrong. Whether the step was used before is the caller's check.
   */
  verify(secret: string, code: string, at: Date): Promise<number | null>;
}

/** Encrypts a secret for storage, bound to `context` (the account it belongs to). */
export interface SecretSealerPort {
  seal(plain: string, context: string): Promise<string>;
  /** Throws if the sealed text was altered or belongs to another context. */
  open(sealed: string, context: string): Promise<string>;
}

export interface StoredPasskey {
  id: string;
  userId: string;
  name: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Passkey (WebAuthn) ceremonies: options for the browser, and checks of what it answers. */
export interface PasskeyPort {
  registrationOptions(input: {
    userId: string;
    userName: string;
    displayName: string;
    exclude: Array<{ credentialId: string; transports: string[] }>;
  }): Promise<{ options: unknown; challenge: string }>;
  /** The new credential, or null when the answer does not check out (wrong challenge, origin, signature…). */
  verifyRegistration(
    response: unknown,
    challenge: string,
  ): Promise<{ credentialId: string; publicKey: string; counter: number; transports: string[] } | null>;
  authenticationOptions(
    allow: Array<{ credentialId: string; transports: string[] }>,
  ): Promise<{ options: unknown; challenge: string }>;
  /** The credential id the browser answered with (to find the stored passkey), or null if unreadable. */
  credentialIdOf(response: unknown): string | null;
  /** The authenticator's new counter, or null when the answer does not check out (including a counter gone back). */
  verifyAuthentication(response: unknown, challenge: string, passkey: StoredPasskey): Promise<number | null>;
}

export interface TotpRecord {
  secretSealed: string;
  confirmedAt: Date | null;
  lastUsedStep: number | null;
}

export interface SecondFactorRepository {
  findTotp(userId: string): Promise<TotpRecord | null>;
  /** Stores an unconfirmed secret, unless the person already has one (a second visit shows the same). */
  insertPendingTotp(userId: string, secretSealed: string, now: Date): Promise<void>;
  /** Marks the secret confirmed, with the step of the code that confirmed it. */
  confirmTotp(userId: string, step: number, now: Date): Promise<void>;
  /** Records `step` as used, only if it is later than the last one used: false when it is a replay. */
  useTotpStep(userId: string, step: number): Promise<boolean>;

  /** Replaces every recovery code of the person with these (SHA-256 digests). */
  replaceRecoveryCodes(userId: string, hashes: string[], now: Date): Promise<void>;
  /** Marks the unused code used: false when there is none such. */
  useRecoveryCode(userId: string, hash: string, now: Date): Promise<boolean>;
  countUnusedRecoveryCodes(userId: string): Promise<number>;

  listPasskeys(userId: string): Promise<StoredPasskey[]>;
  findPasskeyByCredentialId(credentialId: string): Promise<StoredPasskey | null>;
  insertPasskey(p: Omit<StoredPasskey, 'id' | 'lastUsedAt'>): Promise<StoredPasskey>;
  /** Sets the new counter only if the stored one is still `from` (two uses at once cannot both pass). */
  usePasskey(id: string, from: number, to: number, now: Date): Promise<boolean>;
  deletePasskey(id: string, userId: string): Promise<boolean>;

  /** Removes the authenticator app, recovery codes and passkeys; says how many of each went. */
  deleteAllFactors(userId: string): Promise<{ authenticatorApp: boolean; recoveryCodes: number; passkeys: number }>;

  /** Keeps the challenge of a passkey ceremony for the session (replacing any earlier one for that purpose). */
  saveChallenge(
    sessionHash: string,
    purpose: 'register' | 'sign-in',
    challenge: string,
    expiresAt: Date,
  ): Promise<void>;
  /** Removes and returns the session's challenge, if it has not expired. */
  takeChallenge(sessionHash: string, purpose: 'register' | 'sign-in', now: Date): Promise<string | null>;

  /** Second-factor failures against the account recorded in the audit trail since the given time. */
  countFailuresSince(userId: string, since: Date): Promise<number>;
}
