-- T-9: the dashboard's ended plans read the decisions whose outcome ends the plan, a few among every decision
-- recorded: a partial index finds them (and each one's version, to compare with the latest) without reading the rest.
CREATE INDEX IF NOT EXISTS "child_decisions_plan_ends_idx" ON "child_decisions" USING btree ("conference_id", "child_id", "version") WHERE "outcome" = 'plan-ends';
--> statement-breakpoint
-- T-6 / T-7: whether a conference owes an exclusion letter, and who was excluded, read the attendance marked as an
-- exclusion, rare among every attendance recorded.
CREATE INDEX IF NOT EXISTS "attendance_exclusion_idx" ON "attendance" USING btree ("part_id") WHERE "exclusion_extent" IS NOT NULL;--> statement-breakpoint
-- The dashboard's interpreter to-dos read the invitees who need an interpreter at a planned conference.
CREATE INDEX IF NOT EXISTS "conference_invitees_interpreter_idx" ON "conference_invitees" USING btree ("conference_id") WHERE "interpreter_language" IS NOT NULL;
