-- R-3: a recording is stored (encrypted, durable, its SHA-256 recorded) before it is made playable. Whether it can be
-- played yet: 'preparing' (the playback copy is being made), 'ready', or 'undecodable' (the encrypted original is kept;
-- the full decode found it cannot be played, and why is in playable_problem). Null until the recording is stored.
ALTER TABLE "recordings" ADD COLUMN "playable" text;
--> statement-breakpoint
ALTER TABLE "recordings" ADD COLUMN "playable_problem" text;
--> statement-breakpoint
UPDATE "recordings" SET "playable" = 'ready' WHERE "status" = 'stored';
--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_playable_check" CHECK ("playable" is null or "playable" in ('preparing', 'ready', 'undecodable'));
--> statement-breakpoint
-- A stored recording still never changes (R-3), except what the job making it playable learns once: its length, codec
-- and container (only while it is being prepared and only where nothing was recorded), and its playable state
-- (from preparing to ready or undecodable, with the reason, once).
CREATE OR REPLACE FUNCTION recordings_refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  item uuid;
  preparing boolean;
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
  preparing := OLD.playable IS NOT DISTINCT FROM 'preparing';
  IF OLD.status = 'stored' AND (
    NEW.status IS DISTINCT FROM OLD.status OR NEW.original_sha256 IS DISTINCT FROM OLD.original_sha256
    OR NEW.original_size IS DISTINCT FROM OLD.original_size OR NEW.original_blob_key IS DISTINCT FROM OLD.original_blob_key
    OR NEW.original_blob_sha256 IS DISTINCT FROM OLD.original_blob_sha256 OR NEW.original_blob_size IS DISTINCT FROM OLD.original_blob_size
    OR (NEW.duration_ms IS DISTINCT FROM OLD.duration_ms AND NOT (preparing AND OLD.duration_ms IS NULL))
    OR (NEW.codec IS DISTINCT FROM OLD.codec AND NOT (preparing AND OLD.codec IS NULL))
    OR (NEW.container IS DISTINCT FROM OLD.container AND NOT (preparing AND OLD.container IS NULL))
    OR (NEW.playable IS DISTINCT FROM OLD.playable AND NOT (preparing AND NEW.playable IN ('ready', 'undecodable')))
    OR (NEW.playable_problem IS DISTINCT FROM OLD.playable_problem AND NOT (preparing AND NEW.playable = 'undecodable'))
    OR NEW.stored_at IS DISTINCT FROM OLD.stored_at OR NEW.conference_id IS DISTINCT FROM OLD.conference_id
  ) THEN
    RAISE EXCEPTION 'a stored recording never changes (R-3): UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
