-- The dashboard's window reads conferences by status and date (upcoming, awaiting decisions, held since a date) and
-- planned ones by their due date: a range scan within each status instead of every conference of that status.
CREATE INDEX IF NOT EXISTS "conferences_status_date_idx" ON "conferences" USING btree ("status", "scheduled_date");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conferences_status_due_idx" ON "conferences" USING btree ("status", "due_date");
