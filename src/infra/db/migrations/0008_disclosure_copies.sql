CREATE TABLE "disclosure_copies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"conference_id" uuid NOT NULL,
	"state" text NOT NULL,
	"percent" integer DEFAULT 0 NOT NULL,
	"error" text,
	"fill" text NOT NULL,
	"plan" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "disclosure_copies_state_check" CHECK ("disclosure_copies"."state" in ('queued', 'running', 'ready', 'failed')),
	CONSTRAINT "disclosure_copies_fill_check" CHECK ("disclosure_copies"."fill" in ('silence', 'tone')),
	CONSTRAINT "disclosure_copies_percent_check" CHECK ("disclosure_copies"."percent" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "disclosure_copy_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"copy_id" uuid NOT NULL,
	"recording_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"statement_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"statement_text" text NOT NULL,
	"original_sha256" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"duration_ms" integer NOT NULL,
	"notice_ms" integer NOT NULL,
	"blob_key" text NOT NULL,
	"blob_sha256" text NOT NULL,
	"blob_size" bigint NOT NULL,
	"withheld_log" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "disclosure_copy_files_sha256_check" CHECK ("disclosure_copy_files"."sha256" ~ '^[0-9a-f]{64}$' and "disclosure_copy_files"."original_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "disclosure_copies" ADD CONSTRAINT "disclosure_copies_request_id_copy_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."copy_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_copies" ADD CONSTRAINT "disclosure_copies_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_copies" ADD CONSTRAINT "disclosure_copies_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_copy_files" ADD CONSTRAINT "disclosure_copy_files_copy_id_disclosure_copies_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."disclosure_copies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_copy_files" ADD CONSTRAINT "disclosure_copy_files_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disclosure_copies_request_idx" ON "disclosure_copies" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "disclosure_copies_state_idx" ON "disclosure_copies" USING btree ("state","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "disclosure_copy_files_recording_key" ON "disclosure_copy_files" USING btree ("copy_id","recording_id");--> statement-breakpoint
CREATE UNIQUE INDEX "disclosure_copy_files_statement_key" ON "disclosure_copy_files" USING btree ("statement_id");--> statement-breakpoint
-- A disclosure copy's files and their withheld-content log are evidence of what was sent (R-3): written once, never changed or deleted; a copy is never deleted.
CREATE OR REPLACE FUNCTION disclosure_copies_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept for good: DELETE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION '% rows never change: UPDATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER disclosure_copy_files_never_change BEFORE UPDATE OR DELETE ON disclosure_copy_files FOR EACH ROW EXECUTE FUNCTION disclosure_copies_refuse_change();
--> statement-breakpoint
CREATE TRIGGER disclosure_copies_never_deleted BEFORE DELETE ON disclosure_copies FOR EACH ROW EXECUTE FUNCTION disclosure_copies_refuse_change();
