-- Plans ending, stepping down and moving away (002 §3.8, §3.9, T-4, T-9).

-- The outline child in need or team around the child plan a conference records when it makes no plan or ends one.
CREATE TABLE "plan_step_downs" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "conference_id" uuid NOT NULL REFERENCES "conferences"("id") ON DELETE CASCADE,
  "child_id" uuid NOT NULL REFERENCES "children"("id"),
  "version" integer NOT NULL,
  "kind" text NOT NULL,
  "lead_professional" text NOT NULL,
  "services" text NOT NULL,
  "first_meeting_date" date,
  "change_reason" text,
  "recorded_by_user_id" uuid REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone NOT NULL,
  CONSTRAINT "plan_step_downs_kind_check" CHECK ("kind" IN ('child-in-need', 'team-around-the-child')),
  CONSTRAINT "plan_step_downs_tac_date" CHECK (("kind" = 'team-around-the-child') = ("first_meeting_date" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "plan_step_downs_version_key" ON "plan_step_downs" ("conference_id", "child_id", "version");
--> statement-breakpoint

-- A plan moving with the family to another authority: it continues here until the receiving conference is held
-- and confirmed in writing.
CREATE TABLE "plan_transfers" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "child_id" uuid NOT NULL REFERENCES "children"("id"),
  "plan_conference_id" uuid NOT NULL REFERENCES "conferences"("id"),
  "authority_name" text NOT NULL,
  "contact_email" text NOT NULL,
  "notice_on" date NOT NULL,
  "conference_due" date NOT NULL,
  "pack_text" text NOT NULL,
  "pack_message_id" uuid,
  "receiving_conference_on" date,
  "confirmation_received_on" date,
  "version" integer NOT NULL DEFAULT 1,
  "recorded_by_user_id" uuid REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone NOT NULL,
  "updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "plan_transfers_plan_key" ON "plan_transfers" ("child_id", "plan_conference_id");
--> statement-breakpoint

-- Why a child's plan ended: one ending for each plan (the plan made or continued at `plan_conference_id`).
CREATE TABLE "plan_endings" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "child_id" uuid NOT NULL REFERENCES "children"("id"),
  "plan_conference_id" uuid NOT NULL REFERENCES "conferences"("id"),
  "reason" text NOT NULL,
  "ended_on" date NOT NULL,
  "details" text,
  "looked_after_criterion" text,
  "mod_told_on" date,
  "mod_resources_confirmed" boolean NOT NULL DEFAULT false,
  "authorised_by_user_id" uuid REFERENCES "users"("id"),
  "authorised_on" date,
  "transfer_id" uuid REFERENCES "plan_transfers"("id"),
  "recorded_by_user_id" uuid REFERENCES "users"("id"),
  "recorded_at" timestamp with time zone NOT NULL,
  CONSTRAINT "plan_endings_reason_check" CHECK ("reason" IN ('conference', 'reached-18', 'died', 'left-uk', 'looked-after', 'armed-services-overseas', 'moved-to-another-authority')),
  CONSTRAINT "plan_endings_criterion_check" CHECK (("reason" = 'looked-after') = ("looked_after_criterion" IS NOT NULL) AND ("looked_after_criterion" IS NULL OR "looked_after_criterion" IN ('interim-care-order', 'care-proceedings-no-order', 'section-20'))),
  CONSTRAINT "plan_endings_mod_check" CHECK ("reason" <> 'armed-services-overseas' OR ("mod_told_on" IS NOT NULL AND "mod_resources_confirmed")),
  CONSTRAINT "plan_endings_authority_check" CHECK ("reason" IN ('conference', 'moved-to-another-authority') OR ("authorised_by_user_id" IS NOT NULL AND "authorised_on" IS NOT NULL)),
  CONSTRAINT "plan_endings_transfer_check" CHECK (("reason" = 'moved-to-another-authority') = ("transfer_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "plan_endings_plan_key" ON "plan_endings" ("child_id", "plan_conference_id");
--> statement-breakpoint

-- 002 §3.9: every agency invited told that the plan ended: by email through the outbox, or a letter to post.
CREATE TABLE "plan_ending_notices" (
  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
  "ending_id" uuid NOT NULL REFERENCES "plan_endings"("id"),
  "professional_id" uuid REFERENCES "professionals"("id"),
  "recipient_name" text NOT NULL,
  "recipient_role" text,
  "agency_name" text,
  "method" text NOT NULL,
  "outbox_message_id" uuid,
  "letter_text" text,
  "created_at" timestamp with time zone NOT NULL,
  "posted_at" timestamp with time zone,
  "posted_by_user_id" uuid REFERENCES "users"("id"),
  CONSTRAINT "plan_ending_notices_method_check" CHECK (("method" = 'email' AND "outbox_message_id" IS NOT NULL) OR ("method" = 'letter' AND "letter_text" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "plan_ending_notices_ending_idx" ON "plan_ending_notices" ("ending_id");
