-- Rotating the recordings' age key rewrites each encrypted file's header (the file key wrapped for the new
-- recipients) and keeps its payload byte for byte. The SHA-256 recorded for an encrypted file covers the header, so
-- each rewrite is kept here: the hash before and after, and the payload's hash, which is the same on both sides
-- (R-3: the original is kept bit for bit). A row is written as 'pending' before the file is replaced and 'done' once
-- the recorded hashes follow it, so an interrupted rotation resumes knowing which of the two the store holds.
CREATE TABLE "key_custody_rewraps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"blob_key" text NOT NULL,
	"phase" text NOT NULL,
	"status" text NOT NULL,
	"old_sha256" text NOT NULL,
	"old_size" bigint NOT NULL,
	"new_sha256" text NOT NULL,
	"new_size" bigint NOT NULL,
	"payload_sha256" text NOT NULL,
	"recipients" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "key_custody_rewraps_phase_check" CHECK ("phase" in ('rotate', 'retire')),
	CONSTRAINT "key_custody_rewraps_status_check" CHECK ("status" in ('pending', 'done', 'abandoned')),
	CONSTRAINT "key_custody_rewraps_completed_check" CHECK (("status" = 'pending') = ("completed_at" is null))
);
--> statement-breakpoint
CREATE INDEX "key_custody_rewraps_blob_idx" ON "key_custody_rewraps" USING btree ("blob_key", "id");
--> statement-breakpoint
CREATE UNIQUE INDEX "key_custody_rewraps_one_pending" ON "key_custody_rewraps" USING btree ("blob_key") WHERE "status" = 'pending';
