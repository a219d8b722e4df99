-- Retention and disposal (R-4, UK GDPR storage limitation): the council's schedule per kind of record, legal holds,
-- disposal proposed by one person and approved by a second, different person, and what each item's destruction
-- removed (the certificate's facts: kinds, ids, SHA-256s and sizes, never the record's personal data).

CREATE TABLE "retention_schedules" (
  "kind" text PRIMARY KEY NOT NULL,
  "value" jsonb NOT NULL,
  "version" integer NOT NULL,
  "updated_by" uuid NOT NULL REFERENCES "users"("id"),
  "updated_at" timestamp with time zone NOT NULL,
  CONSTRAINT "retention_schedules_kind_check" CHECK ("kind" in ('conference-record', 'recording', 'copy-sent', 'copy-request', 'audit-entry'))
);
--> statement-breakpoint
CREATE TABLE "retention_holds" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "item_kind" text NOT NULL,
  "item_id" uuid NOT NULL,
  "reason" text NOT NULL,
  "placed_by" uuid NOT NULL REFERENCES "users"("id"),
  "placed_at" timestamp with time zone NOT NULL,
  "removed_by" uuid REFERENCES "users"("id"),
  "removed_at" timestamp with time zone,
  "removal_reason" text,
  CONSTRAINT "retention_holds_kind_check" CHECK ("item_kind" in ('recording', 'copy-sent')),
  CONSTRAINT "retention_holds_removed_check" CHECK (("removed_at" IS NULL) = ("removed_by" IS NULL) AND ("removed_at" IS NULL) = ("removal_reason" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "retention_holds_current_key" ON "retention_holds" ("item_kind", "item_id") WHERE "removed_at" IS NULL;
--> statement-breakpoint
CREATE TABLE "disposal_proposals" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "number" serial NOT NULL UNIQUE,
  "state" text NOT NULL,
  "note" text,
  "proposed_by" uuid NOT NULL REFERENCES "users"("id"),
  "proposed_at" timestamp with time zone NOT NULL,
  "approved_by" uuid REFERENCES "users"("id"),
  "approved_at" timestamp with time zone,
  "declined_by" uuid REFERENCES "users"("id"),
  "declined_at" timestamp with time zone,
  "decline_reason" text,
  "completed_at" timestamp with time zone,
  "schedules" jsonb NOT NULL,
  "version" integer DEFAULT 1 NOT NULL,
  CONSTRAINT "disposal_proposals_state_check" CHECK ("state" in ('proposed', 'approved', 'destroyed', 'declined')),
  -- Four eyes (R-4): the approver is a second, different person.
  CONSTRAINT "disposal_proposals_four_eyes" CHECK ("approved_by" IS NULL OR "approved_by" <> "proposed_by"),
  CONSTRAINT "disposal_proposals_approved_check" CHECK ("state" NOT IN ('approved', 'destroyed') OR ("approved_by" IS NOT NULL AND "approved_at" IS NOT NULL)),
  CONSTRAINT "disposal_proposals_declined_check" CHECK ("state" <> 'declined' OR ("declined_by" IS NOT NULL AND "decline_reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "disposal_items" (
  "proposal_id" uuid NOT NULL REFERENCES "disposal_proposals"("id"),
  "item_kind" text NOT NULL,
  "item_id" uuid NOT NULL,
  "due_on" date NOT NULL,
  "state" text DEFAULT 'pending' NOT NULL,
  -- What destroying it removes, written before anything is removed so a re-run after a crash knows every file.
  "evidence" jsonb,
  "destroyed_at" timestamp with time zone,
  CONSTRAINT "disposal_items_pkey" PRIMARY KEY ("proposal_id", "item_kind", "item_id"),
  CONSTRAINT "disposal_items_kind_check" CHECK ("item_kind" in ('recording', 'copy-sent')),
  CONSTRAINT "disposal_items_state_check" CHECK ("state" in ('pending', 'destroyed', 'held')),
  CONSTRAINT "disposal_items_destroyed_check" CHECK ("state" <> 'destroyed' OR ("destroyed_at" IS NOT NULL AND "evidence" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "disposal_items_item_idx" ON "disposal_items" ("item_kind", "item_id");
--> statement-breakpoint
-- R-3 keeps an original and its copies for good against every change; destruction under the council's retention
-- schedule is the one exception, allowed only inside the disposal job's transaction (SET LOCAL cpcr.disposal = 'on').
CREATE OR REPLACE FUNCTION recordings_refuse_change() RETURNS trigger AS $$
BEGIN
  IF current_setting('cpcr.disposal', true) = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
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
CREATE OR REPLACE FUNCTION disclosure_copies_refuse_change() RETURNS trigger AS $$
BEGIN
  IF current_setting('cpcr.disposal', true) = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept for good: DELETE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION '% rows never change: UPDATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
