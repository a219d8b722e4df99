-- Retention and disposal of two more kinds (R-4): a conference's written record, and a request for a copy. Both
-- follow 0037: rows kept for good are removed only inside a SECURITY DEFINER disposal function owned by the tables'
-- owner, which first checks in the database that a proposal approved by a second person still has the item pending.
--
-- What each destroys:
-- - 'conference-record': the conference's written record: document drafts (with their comments, distribution
--   choices and tasks), every issued document, every sending of a document and its secure deliveries, amendment
--   requests, decisions for each child (with agencies' views and dissent referrals), each child's plan (with its
--   actions, core group members, core group meetings, their records and reminders), the chair's summary, agencies'
--   and parents' reports. The stored files (issued documents, reports) are deleted by the service after the rows.
--   Kept: the conference itself (date, type, its children, invitees and attendance), which later conferences,
--   requests for copies, complaints and the audit trail name; and the children's own records. Its recordings are
--   destroyed first: the function refuses while any recording of the conference is kept.
-- - 'copy-request': the request (with the requester's details, case notes and verification inside it), its
--   timeline, advice asked for, every secure delivery of its copies (codes, grants, events) and its copies' rows.
--   Its copies sent are destroyed first: the function refuses while any copy of it still has its files.
--
-- Every disposal function now starts with cpcr_disposal_begin: approval checked, the item locked against a legal
-- hold placed at the same moment (placing a hold takes the same lock), a current legal hold refused, and the marker
-- set that lets the immutable tables' triggers allow the deletion of that item's rows only.

ALTER TABLE "retention_holds" DROP CONSTRAINT "retention_holds_kind_check";
--> statement-breakpoint
ALTER TABLE "retention_holds" ADD CONSTRAINT "retention_holds_kind_check" CHECK ("item_kind" in ('conference-record', 'recording', 'copy-sent', 'copy-request'));
--> statement-breakpoint
ALTER TABLE "disposal_items" DROP CONSTRAINT "disposal_items_kind_check";
--> statement-breakpoint
ALTER TABLE "disposal_items" ADD CONSTRAINT "disposal_items_kind_check" CHECK ("item_kind" in ('conference-record', 'recording', 'copy-sent', 'copy-request'));
--> statement-breakpoint
-- The lock a disposal and the placing of a legal hold on the same item both take, for their transaction.
CREATE OR REPLACE FUNCTION cpcr_retention_lock(p_kind text, p_item uuid) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
  SELECT pg_advisory_xact_lock(hashtextextended('cpcr-retention:' || p_kind || ':' || p_item::text, 0))
$$;
--> statement-breakpoint
-- The one check every disposal function starts with. Refuses unless a proposal approved by a second person (this
-- one) still has the item pending and no legal hold is current on it; then marks the item being destroyed.
CREATE OR REPLACE FUNCTION cpcr_disposal_begin(p_kind text, p_label text, p_item uuid, p_proposal uuid) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF p_item IS NULL OR p_proposal IS NULL OR NOT cpcr_disposal_approved(p_kind, p_item, p_proposal) THEN
    RAISE EXCEPTION '% % is not pending in disposal proposal %, approved by a second person: not destroyed',
      p_label, p_item, p_proposal USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM cpcr_retention_lock(p_kind, p_item);
  IF EXISTS (SELECT 1 FROM retention_holds h WHERE h.item_kind = p_kind AND h.item_id = p_item AND h.removed_at IS NULL) THEN
    RAISE EXCEPTION '% % is on legal hold: not destroyed', p_label, p_item USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('cpcr.disposing', p_kind || ':' || p_item::text, true);
END;
$$;
--> statement-breakpoint
-- Cleared before a disposal function returns (a function's own SET clause would need a superuser for a custom setting).
CREATE OR REPLACE FUNCTION cpcr_disposal_end() RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, public, pg_temp
AS $$
  SELECT set_config('cpcr.disposing', '', true)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cpcr_dispose_recording(p_recording uuid, p_proposal uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  PERFORM cpcr_disposal_begin('recording', 'recording', p_recording, p_proposal);
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
  PERFORM cpcr_disposal_end();
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION cpcr_dispose_disclosure_copy(p_copy uuid, p_proposal uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  PERFORM cpcr_disposal_begin('copy-sent', 'disclosure copy', p_copy, p_proposal);
  DELETE FROM disclosure_copy_files WHERE copy_id = p_copy;
  UPDATE disclosure_copies SET plan = jsonb_build_object('recordingIds', coalesce(plan->'recordingIds', '[]'::jsonb),
      'withheld', '[]'::jsonb, 'statements', '{}'::jsonb), error = NULL
    WHERE id = p_copy;
  PERFORM cpcr_disposal_end();
END;
$$;
--> statement-breakpoint
-- A conference's written record (see above). Its recordings must be destroyed first.
CREATE OR REPLACE FUNCTION cpcr_dispose_conference_record(p_conference uuid, p_proposal uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  PERFORM cpcr_disposal_begin('conference-record', 'conference record', p_conference, p_proposal);
  IF EXISTS (SELECT 1 FROM recordings WHERE conference_id = p_conference) THEN
    RAISE EXCEPTION 'conference record % still has recordings kept: destroy them first', p_conference
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM delivery_codes WHERE delivery_id IN (SELECT d.id FROM deliveries d JOIN document_sendings s ON s.id = d.document_sending_id WHERE s.conference_id = p_conference);
  DELETE FROM delivery_grants WHERE delivery_id IN (SELECT d.id FROM deliveries d JOIN document_sendings s ON s.id = d.document_sending_id WHERE s.conference_id = p_conference);
  DELETE FROM delivery_events WHERE delivery_id IN (SELECT d.id FROM deliveries d JOIN document_sendings s ON s.id = d.document_sending_id WHERE s.conference_id = p_conference);
  DELETE FROM deliveries WHERE document_sending_id IN (SELECT id FROM document_sendings WHERE conference_id = p_conference);
  DELETE FROM document_sendings WHERE conference_id = p_conference;
  DELETE FROM issued_documents WHERE conference_id = p_conference;
  DELETE FROM document_tasks WHERE conference_id = p_conference;
  DELETE FROM document_distribution_overrides WHERE conference_id = p_conference;
  -- A draft and its amendment request name each other: both go in one statement, checked at its end.
  WITH gone AS (DELETE FROM amendment_requests WHERE conference_id = p_conference RETURNING id)
  DELETE FROM document_drafts WHERE conference_id = p_conference;
  DELETE FROM child_decisions WHERE conference_id = p_conference;
  DELETE FROM core_group_records WHERE meeting_id IN (SELECT id FROM core_group_meetings WHERE conference_id = p_conference)
    OR plan_id IN (SELECT id FROM child_plans WHERE conference_id = p_conference);
  DELETE FROM core_group_reminders WHERE conference_id = p_conference;
  DELETE FROM core_group_meetings WHERE conference_id = p_conference;
  DELETE FROM child_plans WHERE conference_id = p_conference;
  DELETE FROM chair_summaries WHERE conference_id = p_conference;
  DELETE FROM conference_reports WHERE conference_id = p_conference;
  DELETE FROM parent_reports WHERE conference_id = p_conference;
  PERFORM cpcr_disposal_end();
END;
$$;
--> statement-breakpoint
-- A request for a copy (see above). Its copies sent must be destroyed first.
CREATE OR REPLACE FUNCTION cpcr_dispose_copy_request(p_request uuid, p_proposal uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  PERFORM cpcr_disposal_begin('copy-request', 'request for a copy', p_request, p_proposal);
  IF EXISTS (SELECT 1 FROM disclosure_copy_files f JOIN disclosure_copies d ON d.id = f.copy_id WHERE d.request_id = p_request) THEN
    RAISE EXCEPTION 'request for a copy % still has copies kept: destroy them first', p_request
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM delivery_codes WHERE delivery_id IN (SELECT id FROM deliveries WHERE request_id = p_request);
  DELETE FROM delivery_grants WHERE delivery_id IN (SELECT id FROM deliveries WHERE request_id = p_request);
  DELETE FROM delivery_events WHERE delivery_id IN (SELECT id FROM deliveries WHERE request_id = p_request);
  DELETE FROM deliveries WHERE request_id = p_request;
  DELETE FROM disclosure_copies WHERE request_id = p_request;
  DELETE FROM copy_request_advice WHERE request_id = p_request;
  DELETE FROM copy_request_steps WHERE request_id = p_request;
  DELETE FROM copy_requests WHERE id = p_request;
  PERFORM cpcr_disposal_end();
END;
$$;
--> statement-breakpoint
-- The immutable tables let a row go only inside the disposal function destroying the item it belongs to.
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
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'disclosure_copies' THEN
    IF cpcr_disposal_allows(TG_RELID, 'copy-request', OLD.request_id) THEN
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
CREATE OR REPLACE FUNCTION copy_requests_refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  item uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF TG_TABLE_NAME = 'copy_requests' THEN
      item := OLD.id;
    ELSE
      item := OLD.request_id;
    END IF;
    IF cpcr_disposal_allows(TG_RELID, 'copy-request', item) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION '% rows are kept for good: DELETE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION '% rows never change: UPDATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION delivery_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  d record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT dl.request_id, s.conference_id INTO d FROM deliveries dl LEFT JOIN document_sendings s ON s.id = dl.document_sending_id
      WHERE dl.id = OLD.delivery_id;
    IF cpcr_disposal_allows(TG_RELID, 'copy-request', d.request_id) OR cpcr_disposal_allows(TG_RELID, 'conference-record', d.conference_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'delivery_events rows never change: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION issued_documents_refuse_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF cpcr_disposal_allows(TG_RELID, 'conference-record', OLD.conference_id) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'issued_documents keeps every copy as it was issued: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION core_group_records_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF cpcr_disposal_allows(TG_RELID, 'conference-record', (SELECT conference_id FROM core_group_meetings WHERE id = OLD.meeting_id))
      OR cpcr_disposal_allows(TG_RELID, 'conference-record', (SELECT conference_id FROM child_plans WHERE id = OLD.plan_id)) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'core_group_records keeps every version as recorded: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION cpcr_dispose_recording(uuid, uuid), cpcr_dispose_disclosure_copy(uuid, uuid),
  cpcr_dispose_conference_record(uuid, uuid), cpcr_dispose_copy_request(uuid, uuid) FROM PUBLIC;
