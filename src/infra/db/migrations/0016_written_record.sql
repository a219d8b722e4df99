-- The written record (W-1 … W-4, T-6, T-7): one draft per document a conference needs, the chair's comments on
-- it, the copies issued from the approved document (kept exactly as issued), and the arrangements for recipients.
CREATE TABLE "document_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_invitee_id" uuid,
	"status" text NOT NULL,
	"sections" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"withholdings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"child_recipient_invitee_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"arrangements" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by_user_id" uuid,
	"updated_by_user_id" uuid,
	"approved_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"approved_at" timestamp with time zone,
	"approved_document" jsonb,
	CONSTRAINT "document_drafts_kind_check" CHECK ("kind" in ('decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record', 'inquorate-notes', 'exclusion-letter')),
	CONSTRAINT "document_drafts_status_check" CHECK ("status" in ('drafting', 'waiting-for-chair', 'approved', 'issued')),
	CONSTRAINT "document_drafts_subject_check" CHECK (("kind" = 'exclusion-letter') = ("subject_invitee_id" is not null)),
	CONSTRAINT "document_drafts_approved_check" CHECK ("status" not in ('approved', 'issued') or ("approved_at" is not null and "approved_document" is not null)),
	CONSTRAINT "document_drafts_version_check" CHECK ("version" > 0),
	CONSTRAINT "document_drafts_json_check" CHECK (jsonb_typeof("sections") = 'object' and jsonb_typeof("withholdings") = 'object' and jsonb_typeof("child_recipient_invitee_ids") = 'array' and jsonb_typeof("arrangements") = 'array')
);
--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_subject_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("subject_invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_approved_by_user_id_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_drafts_conf_idx" ON "document_drafts" USING btree ("conference_id");--> statement-breakpoint
-- One draft per document a conference needs: one of each kind, and one exclusion letter per excluded person.
CREATE UNIQUE INDEX "document_drafts_kind_key" ON "document_drafts" USING btree ("conference_id","kind") WHERE "subject_invitee_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "document_drafts_subject_key" ON "document_drafts" USING btree ("conference_id","kind","subject_invitee_id") WHERE "subject_invitee_id" is not null;--> statement-breakpoint
CREATE TABLE "document_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"draft_id" uuid NOT NULL,
	"section_id" text NOT NULL,
	"body" text NOT NULL,
	"author_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_user_id" uuid,
	CONSTRAINT "document_comments_body_not_blank" CHECK (btrim("body") <> ''),
	CONSTRAINT "document_comments_resolved_check" CHECK ("resolved_by_user_id" is null or "resolved_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "document_comments" ADD CONSTRAINT "document_comments_draft_id_document_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."document_drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_comments" ADD CONSTRAINT "document_comments_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_comments" ADD CONSTRAINT "document_comments_resolved_by_user_id_users_id_fk" FOREIGN KEY ("resolved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_comments_draft_idx" ON "document_comments" USING btree ("draft_id","created_at");--> statement-breakpoint
CREATE TABLE "issued_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"draft_id" uuid NOT NULL,
	"conference_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"issue_number" integer NOT NULL,
	"title" text NOT NULL,
	"copy_kind" text NOT NULL,
	"recipient_invitee_id" uuid,
	"recipient_name" text NOT NULL,
	"format" text NOT NULL,
	"large_print" boolean DEFAULT false NOT NULL,
	"blob_key" text NOT NULL,
	"sha256" text NOT NULL,
	"byte_length" integer NOT NULL,
	"media_type" text NOT NULL,
	"rendered_at" timestamp with time zone NOT NULL,
	"approved_by_user_id" uuid,
	"approved_at" timestamp with time zone NOT NULL,
	"issued_by_user_id" uuid,
	"issued_at" timestamp with time zone NOT NULL,
	"left_out" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"marking" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "issued_documents_kind_check" CHECK ("kind" in ('decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record', 'inquorate-notes', 'exclusion-letter')),
	CONSTRAINT "issued_documents_issue_number_check" CHECK ("issue_number" > 0),
	CONSTRAINT "issued_documents_copy_kind_check" CHECK ("copy_kind" in ('full', 'parent', 'child')),
	CONSTRAINT "issued_documents_format_check" CHECK ("format" in ('pdf', 'html')),
	CONSTRAINT "issued_documents_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "issued_documents_byte_length_check" CHECK ("byte_length" > 0),
	CONSTRAINT "issued_documents_blob_key_not_blank" CHECK (btrim("blob_key") <> ''),
	CONSTRAINT "issued_documents_json_check" CHECK (jsonb_typeof("left_out") = 'array' and jsonb_typeof("marking") = 'array')
);
--> statement-breakpoint
ALTER TABLE "issued_documents" ADD CONSTRAINT "issued_documents_draft_id_document_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."document_drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_documents" ADD CONSTRAINT "issued_documents_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_documents" ADD CONSTRAINT "issued_documents_recipient_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("recipient_invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_documents" ADD CONSTRAINT "issued_documents_approved_by_user_id_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issued_documents" ADD CONSTRAINT "issued_documents_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issued_documents_conf_idx" ON "issued_documents" USING btree ("conference_id","issued_at");--> statement-breakpoint
-- One copy per issue, recipient (the file copy has none), format and print size.
CREATE UNIQUE INDEX "issued_documents_copy_key" ON "issued_documents" USING btree ("draft_id","issue_number","copy_kind",coalesce("recipient_invitee_id", '00000000-0000-0000-0000-000000000000'::uuid),"format","large_print");--> statement-breakpoint
CREATE UNIQUE INDEX "issued_documents_blob_key" ON "issued_documents" USING btree ("blob_key");--> statement-breakpoint
-- An issued copy is kept exactly as it was issued: its bytes' hash, who approved and issued it, what it left out.
CREATE OR REPLACE FUNCTION issued_documents_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'issued_documents keeps every copy as it was issued: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER issued_documents_no_update_delete
  BEFORE UPDATE OR DELETE ON issued_documents
  FOR EACH ROW EXECUTE FUNCTION issued_documents_refuse_change();
--> statement-breakpoint
CREATE TRIGGER issued_documents_no_truncate
  BEFORE TRUNCATE ON issued_documents
  FOR EACH STATEMENT EXECUTE FUNCTION issued_documents_refuse_change();
--> statement-breakpoint
-- W-4: what was arranged for a recipient stays on business support's dashboard until it is done.
CREATE TABLE "document_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"draft_id" uuid NOT NULL,
	"conference_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"invitee_id" uuid NOT NULL,
	"recipient_name" text NOT NULL,
	"arrangement" text NOT NULL,
	"language" text,
	"detail" text,
	"created_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"done_by_user_id" uuid,
	"done_note" text,
	CONSTRAINT "document_tasks_kind_check" CHECK ("kind" in ('decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record', 'inquorate-notes', 'exclusion-letter')),
	CONSTRAINT "document_tasks_arrangement_check" CHECK ("arrangement" in ('large-print', 'interpreter', 'translation', 'other')),
	CONSTRAINT "document_tasks_done_check" CHECK ("done_at" is not null or ("done_by_user_id" is null and "done_note" is null))
);
--> statement-breakpoint
ALTER TABLE "document_tasks" ADD CONSTRAINT "document_tasks_draft_id_document_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."document_drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_tasks" ADD CONSTRAINT "document_tasks_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_tasks" ADD CONSTRAINT "document_tasks_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_tasks" ADD CONSTRAINT "document_tasks_done_by_user_id_users_id_fk" FOREIGN KEY ("done_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_tasks_conf_idx" ON "document_tasks" USING btree ("conference_id","created_at");--> statement-breakpoint
CREATE INDEX "document_tasks_open_idx" ON "document_tasks" USING btree ("created_at") WHERE "done_at" is null;
