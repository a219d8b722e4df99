-- A professional's agreed request for a conference (002 §1.1) names the conference convened from it, once, and
-- keeps the email telling the professional its date.
ALTER TABLE "conference_requests" ADD COLUMN "conference_id" uuid;
--> statement-breakpoint
ALTER TABLE "conference_requests" ADD COLUMN "convened_told_message_id" uuid;
--> statement-breakpoint
ALTER TABLE "conference_requests" ADD CONSTRAINT "conference_requests_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "conference_requests" ADD CONSTRAINT "conference_requests_convened_check" CHECK ("conference_id" is null or "status" = 'agreed');
--> statement-breakpoint
CREATE INDEX "conference_requests_conference_idx" ON "conference_requests" USING btree ("conference_id") WHERE "conference_id" is not null;
--> statement-breakpoint
-- A change of chair (002 §4.1) is kept in the conference's record of changes beside rearrangements.
ALTER TABLE "conference_changes" DROP CONSTRAINT "conference_changes_kind_check";
--> statement-breakpoint
ALTER TABLE "conference_changes" ADD CONSTRAINT "conference_changes_kind_check" CHECK ("kind" in ('rearranged', 'cancelled', 'recorded-afterwards', 'chair-changed'));
--> statement-breakpoint
-- 002 §3.7: a reminder that a child's next core group is due, one per child, plan and due date: the key lets only one
-- node send it when two run the scheduled job at once. The email is in the outbox; no recipient when nobody could be
-- reminded (no lead social worker and no team manager known).
CREATE TABLE "core_group_reminders" (
	"conference_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"due_on" date NOT NULL,
	"sent_on" date NOT NULL,
	"recipient_user_id" uuid,
	"message_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "core_group_reminders_conference_id_child_id_due_on_pk" PRIMARY KEY("conference_id","child_id","due_on"),
	CONSTRAINT "core_group_reminders_recipient_check" CHECK (("message_id" is null) = ("recipient_user_id" is null))
);
--> statement-breakpoint
ALTER TABLE "core_group_reminders" ADD CONSTRAINT "core_group_reminders_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "core_group_reminders" ADD CONSTRAINT "core_group_reminders_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "core_group_reminders" ADD CONSTRAINT "core_group_reminders_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
