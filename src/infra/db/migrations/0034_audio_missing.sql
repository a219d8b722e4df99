-- An acknowledged recording whose staged audio is missing at ingest (a restore without the staging folder, a
-- disk swap) is kept as `audio_missing` for staff to upload the audio again, never rejected as "no audio".
ALTER TABLE "recordings" DROP CONSTRAINT "recordings_status_check";
--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_status_check" CHECK ("recordings"."status" in ('receiving', 'processing', 'stored', 'rejected', 'audio_missing'));
--> statement-breakpoint
ALTER TABLE "recordings" ADD COLUMN "audio_missing_at" timestamp with time zone;
--> statement-breakpoint
-- Encrypted files an ingest has written but not yet committed, so an ingest interrupted by a crash is
-- cleaned up when the service starts again instead of leaving (or doubling) encrypted copies.
CREATE TABLE "recording_pending_blobs" (
	"blob_key" text PRIMARY KEY NOT NULL,
	"recording_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recording_pending_blobs" ADD CONSTRAINT "recording_pending_blobs_recording_id_recordings_id_fk" FOREIGN KEY ("recording_id") REFERENCES "public"."recordings"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "recording_pending_blobs_recording_idx" ON "recording_pending_blobs" USING btree ("recording_id");
