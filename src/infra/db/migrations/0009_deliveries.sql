CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"copy_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"files" jsonb NOT NULL,
	"download_limit" integer NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoke_reason" text,
	CONSTRAINT "deliveries_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "deliveries_download_limit_check" CHECK ("deliveries"."download_limit" between 1 and 20),
	CONSTRAINT "deliveries_revocation_check" CHECK (("deliveries"."revoked_at" is null) = ("deliveries"."revoked_by" is null) and ("deliveries"."revoked_at" is null) = ("deliveries"."revoke_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "delivery_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"wrong_attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"voided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "delivery_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"file_id" text,
	"actor_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "delivery_events_kind_check" CHECK (kind in ('created', 'viewed', 'code-sent', 'code-refused', 'code-wrong', 'code-locked', 'code-expired', 'code-accepted', 'downloaded', 'download-refused', 'expired-hit', 'revoked-hit', 'used-up-hit', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "delivery_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL,
	"grant_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "delivery_grants_grant_hash_unique" UNIQUE("grant_hash")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_request_id_copy_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."copy_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_codes" ADD CONSTRAINT "delivery_codes_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_events" ADD CONSTRAINT "delivery_events_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_events" ADD CONSTRAINT "delivery_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_grants" ADD CONSTRAINT "delivery_grants_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_request_idx" ON "deliveries" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "delivery_codes_delivery_idx" ON "delivery_codes" USING btree ("delivery_id","issued_at");--> statement-breakpoint
CREATE INDEX "delivery_events_delivery_idx" ON "delivery_events" USING btree ("delivery_id","seq");--> statement-breakpoint
CREATE INDEX "delivery_events_downloads_idx" ON "delivery_events" USING btree ("delivery_id","kind","file_id");--> statement-breakpoint
CREATE INDEX "delivery_grants_delivery_idx" ON "delivery_grants" USING btree ("delivery_id");--> statement-breakpoint
-- What happened to a delivery is kept as it happened: its events are append-only.
CREATE OR REPLACE FUNCTION delivery_events_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'delivery_events rows never change: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER delivery_events_never_change BEFORE UPDATE OR DELETE ON delivery_events FOR EACH ROW EXECUTE FUNCTION delivery_events_refuse_change();
