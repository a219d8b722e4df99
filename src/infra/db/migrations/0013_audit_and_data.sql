-- The audit trail pages filter by action and by date range (the actor and subject already have indexes).
CREATE INDEX IF NOT EXISTS "audit_action_idx" ON "audit_events" USING btree ("action","seq");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_at_idx" ON "audit_events" USING btree ("at");
