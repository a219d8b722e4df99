CREATE TABLE "invitation_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"issue_number" integer NOT NULL,
	"channel" text NOT NULL,
	"recipient_lines" text[] NOT NULL,
	"recipient_email" text,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"body_sha256" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by_user_id" uuid,
	"issued_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitation_issues_sha256_hex" CHECK ("invitation_issues"."body_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD COLUMN "interpreter_language" text;--> statement-breakpoint
ALTER TABLE "invitation_issues" ADD CONSTRAINT "invitation_issues_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_issues" ADD CONSTRAINT "invitation_issues_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_issues" ADD CONSTRAINT "invitation_issues_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invitation_issues_number_key" ON "invitation_issues" USING btree ("invitee_id","issue_number");--> statement-breakpoint
CREATE INDEX "invitation_issues_conf_idx" ON "invitation_issues" USING btree ("conference_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conference_invitees_person_key" ON "conference_invitees" USING btree ("conference_id","person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conference_invitees_child_key" ON "conference_invitees" USING btree ("conference_id","child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conference_invitees_professional_key" ON "conference_invitees" USING btree ("conference_id","professional_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conferences_reconvened_key" ON "conferences" USING btree ("reconvened_conference_id");--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_language_not_blank" CHECK ("conference_invitees"."interpreter_language" is null or btrim("conference_invitees"."interpreter_language") <> '');--> statement-breakpoint
ALTER TABLE "conferences" ADD CONSTRAINT "conferences_reconvened_not_self" CHECK ("conferences"."reconvened_conference_id" <> "conferences"."id");--> statement-breakpoint
-- An issued invitation is kept exactly as sent: issuing again adds a row; no row is changed or removed.
CREATE OR REPLACE FUNCTION invitation_issues_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'invitation_issues keeps what was sent: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invitation_issues_no_update_delete
  BEFORE UPDATE OR DELETE ON invitation_issues
  FOR EACH ROW EXECUTE FUNCTION invitation_issues_refuse_change();
--> statement-breakpoint
CREATE TRIGGER invitation_issues_no_truncate
  BEFORE TRUNCATE ON invitation_issues
  FOR EACH STATEMENT EXECUTE FUNCTION invitation_issues_refuse_change();
