-- 002 §4.1: chair-only actions are the assigned chair's, or a cover chair's recorded with a reason by the assigned
-- chair, a team manager or business support. At most one cover chair is current per conference; a new one ends it.
CREATE TABLE "conference_cover_chairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"cover_chair_user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "conference_cover_chairs_reason_check" CHECK (char_length(btrim("reason")) between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "conference_cover_chairs" ADD CONSTRAINT "conference_cover_chairs_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "conference_cover_chairs" ADD CONSTRAINT "conference_cover_chairs_cover_chair_user_id_users_id_fk" FOREIGN KEY ("cover_chair_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "conference_cover_chairs" ADD CONSTRAINT "conference_cover_chairs_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "conference_cover_chairs_conference_idx" ON "conference_cover_chairs" USING btree ("conference_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "conference_cover_chairs_one_current" ON "conference_cover_chairs" USING btree ("conference_id") WHERE "ended_at" is null;
