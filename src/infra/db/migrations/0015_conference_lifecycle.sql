-- A conference's life after convening: rearranged, cancelled or recorded afterwards, each kept on its record.
CREATE TABLE "conference_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text NOT NULL,
	"late_agreed_by" text,
	"late_reason" text,
	"changed_by_user_id" uuid,
	"changed_by_label" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conference_changes_kind_check" CHECK ("kind" in ('rearranged', 'cancelled', 'recorded-afterwards')),
	CONSTRAINT "conference_changes_reason_not_blank" CHECK (btrim("reason") <> '')
);
--> statement-breakpoint
ALTER TABLE "conference_changes" ADD CONSTRAINT "conference_changes_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_changes" ADD CONSTRAINT "conference_changes_changed_by_user_id_users_id_fk" FOREIGN KEY ("changed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conference_changes_conf_idx" ON "conference_changes" USING btree ("conference_id","changed_at");--> statement-breakpoint
-- What changed on a conference is kept as it was written: a later change adds a row.
CREATE OR REPLACE FUNCTION conference_changes_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'conference_changes keeps the record of changes: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER conference_changes_no_update_delete
  BEFORE UPDATE OR DELETE ON conference_changes
  FOR EACH ROW EXECUTE FUNCTION conference_changes_refuse_change();
--> statement-breakpoint
CREATE TRIGGER conference_changes_no_truncate
  BEFORE TRUNCATE ON conference_changes
  FOR EACH STATEMENT EXECUTE FUNCTION conference_changes_refuse_change();
--> statement-breakpoint
-- How an issued invitation went out from the service: emailed (its outbox message) or to be posted.
CREATE TABLE "invitation_dispatches" (
	"issue_id" uuid PRIMARY KEY NOT NULL,
	"conference_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"method" text NOT NULL,
	"outbox_message_id" uuid,
	"posted_at" timestamp with time zone,
	"posted_by_user_id" uuid,
	"posted_by_label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitation_dispatches_method_check" CHECK ("method" in ('email', 'post')),
	CONSTRAINT "invitation_dispatches_email_check" CHECK (("method" = 'email') = ("outbox_message_id" is not null)),
	CONSTRAINT "invitation_dispatches_posted_check" CHECK (("posted_at" is null or "method" = 'post') and ("posted_at" is null) = ("posted_by_label" is null))
);
--> statement-breakpoint
ALTER TABLE "invitation_dispatches" ADD CONSTRAINT "invitation_dispatches_issue_id_invitation_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."invitation_issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_dispatches" ADD CONSTRAINT "invitation_dispatches_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_dispatches" ADD CONSTRAINT "invitation_dispatches_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_dispatches" ADD CONSTRAINT "invitation_dispatches_outbox_message_id_outbox_messages_id_fk" FOREIGN KEY ("outbox_message_id") REFERENCES "public"."outbox_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_dispatches" ADD CONSTRAINT "invitation_dispatches_posted_by_user_id_users_id_fk" FOREIGN KEY ("posted_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitation_dispatches_conf_idx" ON "invitation_dispatches" USING btree ("conference_id");--> statement-breakpoint
-- One cancellation notice per invitee: emailed where they have an address, otherwise to be posted.
CREATE TABLE "cancellation_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"method" text NOT NULL,
	"recipient_email" text,
	"outbox_message_id" uuid,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by_user_id" uuid,
	"issued_by_label" text NOT NULL,
	"posted_at" timestamp with time zone,
	"posted_by_user_id" uuid,
	"posted_by_label" text,
	CONSTRAINT "cancellation_notices_method_check" CHECK ("method" in ('email', 'post')),
	CONSTRAINT "cancellation_notices_email_check" CHECK (("method" = 'email') = ("outbox_message_id" is not null) and ("method" = 'email') = ("recipient_email" is not null)),
	CONSTRAINT "cancellation_notices_posted_check" CHECK (("posted_at" is null or "method" = 'post') and ("posted_at" is null) = ("posted_by_label" is null))
);
--> statement-breakpoint
ALTER TABLE "cancellation_notices" ADD CONSTRAINT "cancellation_notices_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellation_notices" ADD CONSTRAINT "cancellation_notices_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellation_notices" ADD CONSTRAINT "cancellation_notices_outbox_message_id_outbox_messages_id_fk" FOREIGN KEY ("outbox_message_id") REFERENCES "public"."outbox_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellation_notices" ADD CONSTRAINT "cancellation_notices_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellation_notices" ADD CONSTRAINT "cancellation_notices_posted_by_user_id_users_id_fk" FOREIGN KEY ("posted_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cancellation_notices_invitee_key" ON "cancellation_notices" USING btree ("conference_id","invitee_id");
