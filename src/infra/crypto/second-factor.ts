/** The second factor's adapters: authenticator-app codes (otplib), sealed secrets (AES-256-GCM), passkeys (SimpleWebAuthn). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { generateSecret, generateURI, verify } from 'otplib';
import type { PasskeyPort, SecretSealerPort, TotpPort } from '../../app/second-factor/ports.ts';

const PERIOD_SECONDS = 30;

/** SimpleWebAuthn (and the certificate parsers under it: some 25 MB), loaded by the first passkey ceremony, not at start. */
const webAuthn = () => import('@simplewebauthn/server');

/** RFC 6238 codes as authenticator apps make them (SHA-1, 6 digits, 30 seconds); one step either side accepted. */
export const otplibTotp: TotpPort = {
  newSecret: () => generateSecret({ length: 20 }),
  uri: ({ issuer, label, secret }) => generateURI({ issuer, label, secret }),
  async verify(secret, code, at) {
    try {
      const result = await verify({
        secret,
        token: code,
        epoch: Math.floor(at.getTime() / 1000),
        epochTolerance: PERIOD_SECONDS,
      });
      return result.valid && 'timeStep' in result ? result.timeStep : null;
    } catch {
      // A malformed token (not 6 digits) is simply wrong.
      return null;
    }
  },
};

/**
 * The key sealing authenticator-app secrets: 32 random bytes in a file made on first start (0600), never in the
 * database, so a copy of the database alone cannot produce anyone's codes. Back it up with the database: without
 * it every authenticator app must be set up again (an administrator resets each person).
 */
export async function loadOrCreateSealingKey(file: string, opts: { create: boolean }): Promise<Buffer> {
  try {
    const stat = await lstat(file);
    if (!stat.isFile()) throw new Error(`The second-factor key at ${file} is not a regular file`);
    if ((stat.mode & 0o077) !== 0)
      throw new Error(
        `The second-factor key at ${file} can be read by others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 on it`,
      );
    return decodeKey(await readFile(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // In production a missing key is never replaced by a new one: every authenticator app sealed with the old one would
  // stop working without anyone being told.
  if (!opts.create)
    throw new Error(
      `The second-factor key file ${file} does not exist: restore it from the keys backup, or create it (32 random bytes, base64, mode 0600) and reset everyone's second factor`,
    );
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // 'wx' so two processes starting together never overwrite each other's key.
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return decodeKey(await readFile(file, 'utf8'), file);
    throw err;
  }
}

function decodeKey(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`The second-factor key at ${file} is not 32 bytes of base64`);
  return key;
}

/** AES-256-GCM; the context (the account's id) is authenticated, so a sealed secret cannot be moved to another account. */
export function aesGcmSealer(loadKey: () => Promise<Buffer>): SecretSealerPort {
  let key: Promise<Buffer> | null = null;
  const k = () => (key ??= loadKey());
  return {
    async seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await k(), iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
      return ['v1', ...parts].join('.');
    },
    async open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unreadable sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', await k(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** Passkeys for the service at `publicBaseUrl`: its host name is the relying party, its origin the only one accepted. */
export function simpleWebAuthnPasskeys(opts: { publicBaseUrl: string; rpName: string }): PasskeyPort {
  const url = new URL(opts.publicBaseUrl);
  const rpID = url.hostname;
  const origin = url.origin;
  return {
    async registrationOptions({ userId, userName, displayName, exclude }) {
      const { generateRegistrationOptions } = await webAuthn();
      const options = await generateRegistrationOptions({
        rpName: opts.rpName,
        rpID,
        userName,
        userDisplayName: displayName,
        userID: new TextEncoder().encode(userId),
        attestationType: 'none',
        excludeCredentials: exclude.map((c) => ({ id: c.credentialId, transports: c.transports })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      return { options, challenge: options.challenge };
    },
    async verifyRegistration(response, challenge) {
      const { verifyRegistrationResponse } = await webAuthn(); // outside the try: a failure to load is not a refusal
      try {
        const r = await verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
        });
        if (!r.verified) return null;
        const c = r.registrationInfo.credential;
        return {
          credentialId: c.id,
          publicKey: Buffer.from(c.publicKey).toString('base64url'),
          counter: c.counter,
          transports: c.transports ?? [],
        };
      } catch {
        return null;
      }
    },
    async authenticationOptions(allow) {
      const { generateAuthenticationOptions } = await webAuthn();
      const options = await generateAuthenticationOptions({
        rpID,
        allowCredentials: allow.map((c) => ({ id: c.credentialId, transports: c.transports })),
        userVerification: 'preferred',
      });
      return { options, challenge: options.challenge };
    },
    credentialIdOf(response) {
      const id = (response as { id?: unknown } | null)?.id;
      return typeof id === 'string' && /^[A-Za-z0-9_-]{1,1024}$/.test(id) ? id : null;
    },
    async verifyAuthentication(response, challenge, passkey) {
      const { verifyAuthenticationResponse } = await webAuthn(); // outside the try: a failure to load is not a refusal
      try {
        const r = await verifyAuthenticationResponse({
          response: response as AuthenticationResponseJSON,
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: passkey.credentialId,
            publicKey: Buffer.from(passkey.publicKey, 'base64url'),
            counter: passkey.counter,
            transports: passkey.transports,
          },
          requireUserVerification: false,
        });
        return r.verified ? r.authenticationInfo.newCounter : null;
      } catch {
        // A counter gone backwards (a cloned authenticator), a wrong signature or origin: refused.
        return null;
      }
    },
  };
}
