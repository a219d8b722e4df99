/** Signing in with the council's identity provider (OpenID Connect): its persistence and the provider itself. */
import type { CouncilClaims } from './council-sign-in.ts';

/** Where the provider sends the person back, and where it sends them after signing them out there. */
export const CALLBACK_PATH = '/sign-in/council/callback';
export const SIGNED_OUT_PATH = '/sign-in/council/signed-out';

export interface CouncilIdentityRecord {
  issuer: string;
  subject: string;
  userId: string;
  createdAt: Date;
  lastSignInAt: Date | null;
}

/** What the service keeps while a sign-in goes through the provider. */
export interface SignInFlowRecord {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface CouncilSignInRepository {
  findIdentity(issuer: string, subject: string): Promise<CouncilIdentityRecord | null>;
  identityOfUser(userId: string): Promise<CouncilIdentityRecord | null>;
  insertIdentity(i: { issuer: string; subject: string; userId: string; at: Date }): Promise<void>;
  touchIdentity(issuer: string, subject: string, at: Date): Promise<void>;
  /** Stores a flow (and forgets every expired one). */
  insertFlow(idHash: string, flow: SignInFlowRecord, now: Date): Promise<void>;
  /** Deletes the flow and returns it if it had not expired: a flow is used once at most. */
  takeFlow(idHash: string, now: Date): Promise<SignInFlowRecord | null>;
}

/** What the service keeps while the person is at the provider. */
export interface FlowSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * Why a callback was refused. `unavailable`: the provider could not be reached; `provider-refused`: it answered
 * with an error (the person cancelled, or is not allowed to use the service); `state`, `nonce`: the response was
 * not for the sign-in this browser started; `invalid-response`: anything else the checks refused.
 */
export type OidcFailure = 'unavailable' | 'provider-refused' | 'state' | 'nonce' | 'invalid-response';

export class OidcError extends Error {
  readonly reason: OidcFailure;
  /** The provider's error code (`access_denied`), when it sent one: a code from the standard, never personal data. */
  readonly providerError: string | undefined;
  constructor(reason: OidcFailure, providerError?: string) {
    super(`council sign-in refused: ${reason}`);
    this.name = 'OidcError';
    this.reason = reason;
    this.providerError = providerError;
  }
}

export interface CouncilIdentityProvider {
  /** The address to send the person to, and the secrets to keep until they come back. */
  start(): Promise<{ url: URL; secrets: FlowSecrets }>;
  /** Checks the callback (state, code with PKCE, ID token and nonce) and returns the person's claims. */
  finish(callbackUrl: URL, secrets: FlowSecrets): Promise<CouncilClaims>;
  /** The provider's sign-out address, when it has one. */
  endSessionUrl(): Promise<URL | null>;
}
