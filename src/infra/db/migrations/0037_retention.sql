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
-- schedule (R-4) is the one exception. It happens only inside cpcr_dispose_recording / cpcr_dispose_disclosure_copy
-- below: functions owned by the tables' owner (SECURITY DEFINER) that first check, in the database, that a disposal
-- proposal approved by a second person still has the item pending. The triggers let a row go only when the deleting
-- user owns the table (on PostgreSQL the service's runtime role never does: only those functions run as the owner)
-- and cpcr.disposing names the item being destroyed (set by those functions for their own duration only), and an
-- approved proposal still covers it. A setting the runtime role can change by itself lets nothing through.
--
-- True when a proposal approved by a second person (and, given p_proposal, that one) still has the item pending.
CREATE OR REPLACE FUNCTION cpcr_disposal_approved(p_kind text, p_item uuid, p_proposal uuid DEFAULT NULL) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
  SELECT EXISTS (
    SELECT 1 FROM disposal_items i JOIN disposal_proposals p ON p.id = i.proposal_id
    WHERE i.item_kind = p_kind AND i.item_id = p_item AND i.state = 'pending'
      AND (p_proposal IS NULL OR i.proposal_id = p_proposal)
      AND p.state = 'approved' AND p.approved_by IS NOT NULL AND p.approved_at IS NOT NULL
      AND p.approved_by <> p.proposed_by
  )
$$;
--> statement-breakpoint
-- May this row of the item (kind, id) be deleted now? Only from inside a disposal function destroying that item.
CREATE OR REPLACE FUNCTION cpcr_disposal_allows(p_relid oid, p_kind text, p_item uuid) RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF p_item IS NULL OR current_setting('cpcr.disposing', true) IS DISTINCT FROM p_kind || ':' || p_item::text THEN
    RETURN false;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = p_relid AND pg_get_userbyid(c.relowner) = current_user) THEN
    RETURN false;
  END IF;
  RETURN cpcr_disposal_approved(p_kind, p_item);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION recordings_refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  item uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF TG_TABLE_NAME = 'recordings' THEN
      item := OLD.id;
    ELSIF TG_TABLE_NAME = 'recording_derivatives' THEN
      item := OLD.original_recording_id;
    ELSE
      item := OLD.recording_id;
    END IF;
    IF cpcr_disposal_allows(TG_RELID, 'recording', item) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION '% rows are kept for good: DELETE refused (only an approved disposal destroys them)', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
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
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION disclosure_copies_refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'disclosure_copy_files' THEN
    IF cpcr_disposal_allows(TG_RELID, 'copy-sent', OLD.copy_id) OR cpcr_disposal_allows(TG_RELID, 'recording', OLD.recording_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept for good: DELETE refused (only an approved disposal destroys them)', TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION '% rows never change: UPDATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- Removes a recording's rows: copies made from it lose its statement and withheld ranges (their plan keeps the ids)
-- and their files of it, then its fixity checks, derived files, statement, bookmarks, withheld segments, breaks,
-- chunks, unfinished ingest files and the recording. Its stored files are deleted by the service beforehand.
CREATE OR REPLACE FUNCTION cpcr_dispose_recording(p_recording uuid, p_proposal uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF p_recording IS NULL OR p_proposal IS NULL OR NOT cpcr_disposal_approved('recording', p_recording, p_proposal) THEN
    RAISE EXCEPTION 'recording % is not pending in disposal proposal %, approved by a second person: not destroyed',
      p_recording, p_proposal USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('cpcr.disposing', 'recording:' || p_recording::text, true);
  UPDATE disclosure_copies SET plan = jsonb_set(jsonb_set(plan,
      '{statements}', coalesce(plan->'statements', '{}'::jsonb) - p_recording::text),
      '{withheld}', coalesce((SELECT jsonb_agg(w) FROM jsonb_array_elements(coalesce(plan->'withheld', '[]'::jsonb)) w
        WHERE w->>'recordingId' <> p_recording::text), '[]'::jsonb))
    WHERE id IN (SELECT copy_id FROM disclosure_copy_files WHERE recording_id = p_recording);
  DELETE FROM disclosure_copy_files WHERE recording_id = p_recording;
  DELETE FROM fixity_events WHERE recording_id = p_recording;
  DELETE FROM recording_derivatives WHERE original_recording_id = p_recording;
  DELETE FROM explanatory_statements WHERE recording_id = p_recording;
  DELETE FROM recording_bookmarks WHERE recording_id = p_recording;
  DELETE FROM withheld_segments WHERE recording_id = p_recording;
  DELETE FROM recording_breaks WHERE recording_id = p_recording;
  DELETE FROM recording_chunks WHERE recording_id = p_recording;
  DELETE FROM recording_pending_blobs WHERE recording_id = p_recording;
  DELETE FROM recordings WHERE id = p_recording;
  -- Cleared again before returning (a function's own SET clause would need a superuser for a custom setting).
  PERFORM set_config('cpcr.disposing', '', true);
END;
$$;
--> statement-breakpoint
-- Removes a sent copy's files' rows (their statements and withheld-content log) and clears its plan to the
-- recordings' ids; the copy row stays (requests and deliveries name it). Its stored files are deleted beforehand.
CREATE OR REPLACE FUNCTION cpcr_dispose_disclosure_copy(p_copy uuid, p_proposal uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF p_copy IS NULL OR p_proposal IS NULL OR NOT cpcr_disposal_approved('copy-sent', p_copy, p_proposal) THEN
    RAISE EXCEPTION 'disclosure copy % is not pending in disposal proposal %, approved by a second person: not destroyed',
      p_copy, p_proposal USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('cpcr.disposing', 'copy-sent:' || p_copy::text, true);
  DELETE FROM disclosure_copy_files WHERE copy_id = p_copy;
  UPDATE disclosure_copies SET plan = jsonb_build_object('recordingIds', coalesce(plan->'recordingIds', '[]'::jsonb),
      'withheld', '[]'::jsonb, 'statements', '{}'::jsonb), error = NULL
    WHERE id = p_copy;
  PERFORM set_config('cpcr.disposing', '', true);
END;
$$;
--> statement-breakpoint
-- Nobody may call them by default (PostgreSQL lets PUBLIC run a new function): `cpcr db grant-runtime` lets the
-- service's runtime role run them, and nothing else of the owner's.
REVOKE ALL ON FUNCTION cpcr_dispose_recording(uuid, uuid), cpcr_dispose_disclosure_copy(uuid, uuid) FROM PUBLIC;
