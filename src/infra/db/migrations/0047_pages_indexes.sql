-- A child's page reads the child's decisions and plans by child (every conference they were in): without an index
-- leading with child_id each was a sequential scan of every decision and plan of the council.
CREATE INDEX IF NOT EXISTS "child_decisions_child_idx" ON "child_decisions" USING btree ("child_id","version");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "child_plans_child_idx" ON "child_plans" USING btree ("child_id","version");--> statement-breakpoint
-- Staff holding given roles (the choices of a chair, a lead or a senior manager on a child's page) without reading
-- every account: an overlap (&&) with the roles asked for.
CREATE INDEX IF NOT EXISTS "users_roles_idx" ON "users" USING gin ("roles");
