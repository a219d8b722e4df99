-- A second factor for accounts that sign in with a password: an authenticator app (TOTP), single-use recovery
-- codes and passkeys (WebAuthn). A session started with a password waits for the second factor before it is
-- used for anything else.
ALTER TABLE "sessions" ADD COLUMN "second_factor_due" boolean NOT NULL DEFAULT false;
--> statement-breakpoint
-- The authenticator app's secret, sealed (AES-256-GCM, key outside the database). Unconfirmed until the person
-- has typed a code from it; `last_used_step` refuses a code (or an earlier one) a second time.
CREATE TABLE "totp_factors" (
  "user_id" uuid PRIMARY KEY NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "secret_sealed" text NOT NULL,
  "confirmed_at" timestamp with time zone,
  "last_used_step" bigint,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Recovery codes, stored as SHA-256 digests only; each works once.
CREATE TABLE "recovery_codes" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "code_hash" text NOT NULL,
  "used_at" timestamp with time zone,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "recovery_codes_user_idx" ON "recovery_codes" ("user_id");
--> statement-breakpoint
-- Passkeys: the credential's public key and signature counter (a counter that goes backwards is refused).
CREATE TABLE "passkeys" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
  "name" text NOT NULL,
  "credential_id" text NOT NULL UNIQUE,
  "public_key" text NOT NULL,
  "counter" bigint NOT NULL DEFAULT 0,
  "transports" text[] NOT NULL DEFAULT '{}',
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "passkeys_user_idx" ON "passkeys" ("user_id");
--> statement-breakpoint
-- The challenge of a passkey ceremony in progress, bound to the session that asked for it; used once.
CREATE TABLE "webauthn_challenges" (
  "session_hash" text NOT NULL REFERENCES "sessions"("id_hash") ON DELETE CASCADE,
  "purpose" text NOT NULL CHECK ("purpose" IN ('register', 'sign-in')),
  "challenge" text NOT NULL,
  "expires_at" timestamp with time zone NOT NULL,
  PRIMARY KEY ("session_hash", "purpose")
);
