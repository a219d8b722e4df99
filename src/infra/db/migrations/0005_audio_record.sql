CREATE TABLE "explanatory_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recording_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"change_reason" text,
	"confirmed_by" uuid NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fixity_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"recording_id" uuid NOT NULL,
	"derivative_id" uuid,
	"trigger" text NOT NULL,
	"result" text NOT NULL,
	"detail" text,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recording_bookmarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recording_id" uuid NOT NULL,
	"at_ms" integer NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_by" uuid,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "recording_breaks" (
	"recording_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"at_ms" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"reason" text NOT NULL,
	"participant_changes" text,
	CONSTRAINT "recording_breaks_recording_id_ordinal_pk" PRIMARY KEY("recording_id","ordinal")
);
--> statement-breakpoint
CREATE TABLE "recording_chunks" (
	"recording_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recording_chunks_recording_id_seq_pk" PRIMARY KEY("recording_id","seq")
);
--> statement-breakpoint
CREATE TABLE "recording_derivatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"original_recording_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"media_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"duration_ms" integer NOT NULL,
	"blob_key" text NOT NULL,
	"blob_sha256" text NOT NULL,
	"blob_size" bigint NOT NULL,
	"peaks" jsonb,
	"original_sha256" text NOT NULL,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recordings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"conference_part_id" uuid,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"rejection_reason" text,
	"client_sha256" text,
	"original_size" bigint,
	"original_sha256" text,
	"container" text,
	"codec" text,
	"duration_ms" integer,
	"sample_rate" integer,
	"channels" integer,
	"ends_abruptly" boolean DEFAULT false NOT NULL,
	"original_blob_key" text,
	"original_blob_sha256" text,
	"original_blob_size" bigint,
	"next_chunk" integer DEFAULT 0 NOT NULL,
	"received_bytes" bigint DEFAULT 0 NOT NULL,
	"live_stopped_at" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processing_started_at" timestamp with time zone,
	"stored_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "recordings_status_check" CHECK ("recordings"."status" in ('receiving', 'processing', 'stored', 'rejected')),
	CONSTRAINT "recordings_kind_check" CHECK ("recordings"."kind" in ('meeting', 'dictation')),
	CONSTRAINT "recordings_stored_complete" CHECK ("recordings"."status" <> 'stored' or ("recordings"."original_sha256" is not null and "recordings"."original_blob_key" is not null and "recordings"."original_blob_sha256" is not null and "recordings"."stored_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "withheld_segments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recording_id" uuid NOT NULL,
	"start_ms" integer NOT NULL,
	"end_ms" integer NOT NULL,
	"reason" text NOT NULL,
	"explanation" text NOT NULL,
	"audience" text NOT NULL,
	"person_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_by" uuid,
	"removed_at" timestamp with time zone,
	CONSTRAINT "withheld_segments_range" CHECK ("withheld_segments"."end_ms" > "withheld_segments"."start_ms" and "withheld_segments"."start_ms" >= 0)
);
--> statement-breakpoint
ALTER TABLE "explanatory_statements" ADD CONSTRAINT "explanatory_statements_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "explanatory_statements" ADD CONSTRAINT "explanatory_statements_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fixity_events" ADD CONSTRAINT "fixity_events_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fixity_events" ADD CONSTRAINT "fixity_events_derivative_id_recording_derivatives_id_fk" FOREIGN KEY ("derivative_id") REFERENCES "public"."recording_derivatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_bookmarks" ADD CONSTRAINT "recording_bookmarks_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_bookmarks" ADD CONSTRAINT "recording_bookmarks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_bookmarks" ADD CONSTRAINT "recording_bookmarks_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_breaks" ADD CONSTRAINT "recording_breaks_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_chunks" ADD CONSTRAINT "recording_chunks_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_derivatives" ADD CONSTRAINT "recording_derivatives_original_recording_id_recordings_id_fk" FOREIGN KEY ("original_recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_conference_part_id_conference_parts_id_fk" FOREIGN KEY ("conference_part_id") REFERENCES "public"."conference_parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withheld_segments" ADD CONSTRAINT "withheld_segments_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withheld_segments" ADD CONSTRAINT "withheld_segments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "withheld_segments" ADD CONSTRAINT "withheld_segments_removed_by_users_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "explanatory_statements_version_key" ON "explanatory_statements" USING btree ("recording_id","version");--> statement-breakpoint
CREATE INDEX "fixity_events_recording_idx" ON "fixity_events" USING btree ("recording_id","checked_at");--> statement-breakpoint
CREATE INDEX "recording_bookmarks_recording_idx" ON "recording_bookmarks" USING btree ("recording_id","at_ms");--> statement-breakpoint
CREATE INDEX "recording_derivatives_original_idx" ON "recording_derivatives" USING btree ("original_recording_id");--> statement-breakpoint
CREATE INDEX "recordings_conference_idx" ON "recordings" USING btree ("conference_id");--> statement-breakpoint
CREATE INDEX "withheld_segments_recording_idx" ON "withheld_segments" USING btree ("recording_id");--> statement-breakpoint
-- R-3: once stored, what is known about an original (its hashes, where it is, what it is) never
-- changes, and neither do derived files, fixity events or confirmed statements; nothing is deleted.
CREATE OR REPLACE FUNCTION recordings_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept for good: DELETE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_TABLE_NAME <> 'recordings' THEN
    RAISE EXCEPTION '% rows never change: UPDATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status = 'stored' AND (
    NEW.status IS DISTINCT FROM OLD.status OR NEW.original_sha256 IS DISTINCT FROM OLD.original_sha256
    OR NEW.original_size IS DISTINCT FROM OLD.original_size OR NEW.original_blob_key IS DISTINCT FROM OLD.original_blob_key
    OR NEW.original_blob_sha256 IS DISTINCT FROM OLD.original_blob_sha256 OR NEW.original_blob_size IS DISTINCT FROM OLD.original_blob_size
    OR NEW.duration_ms IS DISTINCT FROM OLD.duration_ms OR NEW.codec IS DISTINCT FROM OLD.codec OR NEW.container IS DISTINCT FROM OLD.container
    OR NEW.stored_at IS DISTINCT FROM OLD.stored_at OR NEW.conference_id IS DISTINCT FROM OLD.conference_id
  ) THEN
    RAISE EXCEPTION 'a stored recording never changes (R-3): UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER recordings_keep_original BEFORE UPDATE OR DELETE ON recordings FOR EACH ROW EXECUTE FUNCTION recordings_refuse_change();
--> statement-breakpoint
CREATE TRIGGER recording_derivatives_never_change BEFORE UPDATE OR DELETE ON recording_derivatives FOR EACH ROW EXECUTE FUNCTION recordings_refuse_change();
--> statement-breakpoint
CREATE TRIGGER fixity_events_never_change BEFORE UPDATE OR DELETE ON fixity_events FOR EACH ROW EXECUTE FUNCTION recordings_refuse_change();
--> statement-breakpoint
CREATE TRIGGER explanatory_statements_never_change BEFORE UPDATE OR DELETE ON explanatory_statements FOR EACH ROW EXECUTE FUNCTION recordings_refuse_change();
--> statement-breakpoint
CREATE TRIGGER recording_chunks_never_change BEFORE UPDATE OR DELETE ON recording_chunks FOR EACH ROW EXECUTE FUNCTION recordings_refuse_change();
