-- Signing in with the council's identity provider (Microsoft Entra ID or any OpenID Connect provider).
-- A person's council account is joined to their account here by the provider's issuer and subject, never by
-- email address; one council identity per account.
CREATE TABLE "oidc_identities" (
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "oidc_identities_pkey" PRIMARY KEY("issuer","subject")
);--> statement-breakpoint
ALTER TABLE "oidc_identities" ADD CONSTRAINT "oidc_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "oidc_identities_user_key" ON "oidc_identities" USING btree ("user_id");--> statement-breakpoint
-- A sign-in on its way through the provider: the browser holds a random key (its hash is the id); the state,
-- nonce and PKCE verifier stay here, for ten minutes, and are taken (deleted) by the one callback that uses them.
CREATE TABLE "oidc_sign_in_flows" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"nonce" text NOT NULL,
	"code_verifier" text NOT NULL,
	"return_to" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);--> statement-breakpoint
CREATE INDEX "oidc_sign_in_flows_expires_idx" ON "oidc_sign_in_flows" USING btree ("expires_at");
