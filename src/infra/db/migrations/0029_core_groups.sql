-- Core groups (002 §3.7, §3.10, §3.11): each child's core group meetings under their plan, every version of a
-- meeting's record (attendance, progress on the plan's actions, notes; a change after the first gives its reason),
-- and the lead social worker a team manager appoints where the conference could not.

CREATE TABLE "core_group_meetings" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "child_id" uuid NOT NULL REFERENCES "children"("id"),
  "conference_id" uuid NOT NULL REFERENCES "conferences"("id"),
  "sequence" integer NOT NULL,
  "meeting_date" date NOT NULL,
  "chair_user_id" uuid NOT NULL REFERENCES "users"("id"),
  "version" integer DEFAULT 1 NOT NULL,
  "created_by_user_id" uuid NOT NULL REFERENCES "users"("id"),
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "core_group_meetings_sequence_check" CHECK ("sequence" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "core_group_meetings_sequence_key" ON "core_group_meetings" ("child_id", "sequence");
--> statement-breakpoint
CREATE INDEX "core_group_meetings_conference_idx" ON "core_group_meetings" ("conference_id", "child_id");
--> statement-breakpoint

CREATE TABLE "core_group_records" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "meeting_id" uuid NOT NULL REFERENCES "core_group_meetings"("id"),
  "version" integer NOT NULL,
  "plan_id" uuid NOT NULL REFERENCES "child_plans"("id"),
  "attendance" jsonb NOT NULL,
  "progress" jsonb NOT NULL,
  "notes" text,
  "change_reason" text,
  "recorded_by_user_id" uuid NOT NULL REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone NOT NULL,
  CONSTRAINT "core_group_records_reason_check" CHECK ("version" = 1 OR btrim(coalesce("change_reason", '')) <> '')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "core_group_records_version_key" ON "core_group_records" ("meeting_id", "version");
--> statement-breakpoint

CREATE TABLE "lead_social_worker_appointments" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "conference_id" uuid NOT NULL REFERENCES "conferences"("id"),
  "child_id" uuid NOT NULL REFERENCES "children"("id"),
  "user_id" uuid NOT NULL REFERENCES "users"("id"),
  "appointed_by_user_id" uuid NOT NULL REFERENCES "users"("id"),
  "appointed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "lead_social_worker_appointments_plan_idx" ON "lead_social_worker_appointments" ("conference_id", "child_id", "appointed_at");
--> statement-breakpoint

-- A meeting's record is kept version by version: never changed or deleted.
CREATE FUNCTION core_group_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'core_group_records keeps every version as recorded: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER core_group_records_append_only BEFORE UPDATE OR DELETE ON "core_group_records"
  FOR EACH ROW EXECUTE FUNCTION core_group_records_append_only();
