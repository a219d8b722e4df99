-- Who gets what (W-4; 002 §3.2, §3.10). An agency's invitation records when the agency said it has no current
-- or planned involvement with the children, and a note: it is then left out of the distribution of the record.
ALTER TABLE "conference_invitees" ADD COLUMN "no_involvement_on" date;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD COLUMN "no_involvement_note" text;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD COLUMN "no_involvement_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD COLUMN "no_involvement_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_no_involvement_by_user_id_users_id_fk" FOREIGN KEY ("no_involvement_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_no_involvement_check" CHECK (("no_involvement_on" is null) = ("no_involvement_recorded_at" is null) and ("no_involvement_on" is null or "kind" = 'professional') and ("no_involvement_on" is not null or "no_involvement_note" is null) and ("no_involvement_note" is null or btrim("no_involvement_note") <> ''));--> statement-breakpoint
-- A recipient added to or removed from a document's distribution by hand, with the reason, by whom and when.
-- The latest change for a person applies; every change is kept (a trigger refuses changing one).
CREATE TABLE "document_distribution_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"draft_id" uuid NOT NULL,
	"conference_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"issue_number" integer NOT NULL,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"by_user_id" uuid,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "document_distribution_overrides_action_check" CHECK ("action" in ('add', 'remove')),
	CONSTRAINT "document_distribution_overrides_reason_not_blank" CHECK (btrim("reason") <> ''),
	CONSTRAINT "document_distribution_overrides_issue_check" CHECK ("issue_number" > 0)
);
--> statement-breakpoint
ALTER TABLE "document_distribution_overrides" ADD CONSTRAINT "document_distribution_overrides_draft_id_document_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."document_drafts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_distribution_overrides" ADD CONSTRAINT "document_distribution_overrides_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_distribution_overrides" ADD CONSTRAINT "document_distribution_overrides_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_distribution_overrides" ADD CONSTRAINT "document_distribution_overrides_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_distribution_overrides_draft_idx" ON "document_distribution_overrides" USING btree ("draft_id","at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION document_distribution_overrides_refuse_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'document_distribution_overrides keeps every change as it was made: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER document_distribution_overrides_no_update
  BEFORE UPDATE ON document_distribution_overrides
  FOR EACH ROW EXECUTE FUNCTION document_distribution_overrides_refuse_update();
