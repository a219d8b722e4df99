-- Children's social care attends every conference: the allocated social worker and a team manager are
-- invited from their staff accounts (user_id), for the council's own children's social care agency.
ALTER TABLE "conference_invitees" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD COLUMN "staff_role" text;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conference_invitees_user_key" ON "conference_invitees" USING btree ("conference_id","user_id");--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_staff_role_check" CHECK (("user_id" is null) = ("staff_role" is null) and ("staff_role" is null or "staff_role" in ('social-worker', 'team-manager')));--> statement-breakpoint
-- The council's children's social care agency, unless one is already recorded (an existing database where
-- business support added it by hand keeps theirs). A name already taken by another kind of agency is left alone.
INSERT INTO "agencies" ("name", "kind")
SELECT CASE WHEN EXISTS (SELECT 1 FROM "agencies" WHERE lower("name") = lower('Children’s social care')) THEN 'Children’s social care (this council)' ELSE 'Children’s social care' END, 'childrens_social_care'
WHERE NOT EXISTS (SELECT 1 FROM "agencies" WHERE "kind" = 'childrens_social_care');
