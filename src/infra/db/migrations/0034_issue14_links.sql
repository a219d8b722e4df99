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
