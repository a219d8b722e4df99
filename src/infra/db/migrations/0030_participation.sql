-- Participation (002 §3.2, 001). Whether each child attends their conference, decided before it: the seed's
-- questions, the chair's and social worker's advice, the child's wish, the arrangements for part attendance, the
-- reason when a child of 12 or over (or who wishes to attend) does not, and how the views of a child who does not
-- attend are conveyed, with when the chair checked them.
CREATE TABLE "child_attendance_decisions" (
	"conference_id" uuid NOT NULL REFERENCES "conferences"("id") ON DELETE CASCADE,
	"child_id" uuid NOT NULL REFERENCES "children"("id"),
	"understands" text NOT NULL,
	"wish_expressed" text NOT NULL,
	"parents_views" text NOT NULL,
	"benefit" text NOT NULL,
	"chair_advice" text NOT NULL,
	"social_worker_advice" text NOT NULL,
	"child_wish" text NOT NULL,
	"decision" text NOT NULL,
	"part_arrangements" text,
	"reason" text,
	"views_routes" text[] DEFAULT '{}' NOT NULL,
	"views_note" text,
	"views_checked_at" timestamp with time zone,
	"views_checked_by_user_id" uuid REFERENCES "users"("id"),
	"recorded_by_user_id" uuid REFERENCES "users"("id"),
	"recorded_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "child_attendance_decisions_pkey" PRIMARY KEY ("conference_id", "child_id"),
	CONSTRAINT "child_attendance_decisions_understands_check" CHECK ("understands" in ('yes', 'partly', 'no')),
	CONSTRAINT "child_attendance_decisions_wish_expressed_check" CHECK ("wish_expressed" in ('explicit', 'implicit', 'none')),
	CONSTRAINT "child_attendance_decisions_benefit_check" CHECK ("benefit" in ('yes', 'no', 'unsure')),
	CONSTRAINT "child_attendance_decisions_advice_check" CHECK ("chair_advice" in ('attend', 'part', 'not-attend') and "social_worker_advice" in ('attend', 'part', 'not-attend')),
	CONSTRAINT "child_attendance_decisions_decision_check" CHECK ("decision" in ('attend', 'part', 'not-attend')),
	CONSTRAINT "child_attendance_decisions_wish_check" CHECK ("child_wish" in ('attend', 'part', 'not-attend', 'not-known')),
	-- A child who does not wish to attend is never recorded as attending (002 §3.2).
	CONSTRAINT "child_attendance_decisions_refusal_check" CHECK ("child_wish" <> 'not-attend' or "decision" = 'not-attend'),
	CONSTRAINT "child_attendance_decisions_part_check" CHECK ("decision" <> 'part' or "part_arrangements" is not null),
	CONSTRAINT "child_attendance_decisions_views_check" CHECK ("decision" <> 'not-attend' or cardinality("views_routes") > 0)
);
--> statement-breakpoint
-- 002 §3.2: a friend or supporter the chair bars from the conference, with the reason; an advocate's role.
CREATE TABLE "supporter_bars" (
	"invitee_id" uuid PRIMARY KEY NOT NULL REFERENCES "conference_invitees"("id") ON DELETE CASCADE,
	"conference_id" uuid NOT NULL REFERENCES "conferences"("id") ON DELETE CASCADE,
	"reason" text NOT NULL,
	"detail" text,
	"barred_by_user_id" uuid REFERENCES "users"("id"),
	"barred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "supporter_bars_reason_check" CHECK ("reason" in ('disruptive', 'risk-to-children', 'other')),
	CONSTRAINT "supporter_bars_other_check" CHECK ("reason" <> 'other' or "detail" is not null)
);
--> statement-breakpoint
CREATE INDEX "supporter_bars_conf_idx" ON "supporter_bars" ("conference_id");
--> statement-breakpoint
CREATE TABLE "advocate_roles" (
	"invitee_id" uuid PRIMARY KEY NOT NULL REFERENCES "conference_invitees"("id") ON DELETE CASCADE,
	"conference_id" uuid NOT NULL REFERENCES "conferences"("id") ON DELETE CASCADE,
	"speaks_for_invitee_id" uuid REFERENCES "conference_invitees"("id") ON DELETE CASCADE,
	"speaks_for_child_id" uuid REFERENCES "children"("id"),
	"view_ascertained_on" date,
	"note" text,
	"recorded_by_user_id" uuid REFERENCES "users"("id"),
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "advocate_roles_speaks_for_check" CHECK (("speaks_for_invitee_id" is null) <> ("speaks_for_child_id" is null))
);
--> statement-breakpoint
CREATE INDEX "advocate_roles_conf_idx" ON "advocate_roles" ("conference_id");
--> statement-breakpoint
-- 002 §3.2, 001: a parent's own report (a file checked by its content, or text typed in for them, both kept in the
-- encrypted file store like agencies' reports) and the help offered or arranged so they can take part.
CREATE TABLE "parent_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL REFERENCES "conferences"("id") ON DELETE CASCADE,
	"invitee_id" uuid NOT NULL REFERENCES "conference_invitees"("id") ON DELETE CASCADE,
	"source" text NOT NULL,
	"blob_key" text NOT NULL,
	"file_sha256" text NOT NULL,
	"format" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"received_on" date NOT NULL,
	"uploaded_by_user_id" uuid REFERENCES "users"("id"),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parent_reports_source_check" CHECK ("source" in ('file', 'typed')),
	CONSTRAINT "parent_reports_format_check" CHECK ("format" in ('pdf', 'docx', 'doc', 'odt', 'txt')),
	CONSTRAINT "parent_reports_sha256_hex" CHECK ("file_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE INDEX "parent_reports_conf_idx" ON "parent_reports" ("conference_id");
--> statement-breakpoint
CREATE TABLE "parent_help" (
	"invitee_id" uuid NOT NULL REFERENCES "conference_invitees"("id") ON DELETE CASCADE,
	"kind" text NOT NULL,
	"conference_id" uuid NOT NULL REFERENCES "conferences"("id") ON DELETE CASCADE,
	"status" text NOT NULL,
	"arranged_by" text,
	"details" text,
	"recorded_by_user_id" uuid REFERENCES "users"("id"),
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "parent_help_pkey" PRIMARY KEY ("invitee_id", "kind"),
	CONSTRAINT "parent_help_kind_check" CHECK ("kind" in ('report-preparation', 'travel', 'reading', 'childcare', 'disability')),
	CONSTRAINT "parent_help_status_check" CHECK ("status" in ('offered', 'arranged', 'declined')),
	CONSTRAINT "parent_help_arranged_by_check" CHECK ("status" = 'declined' or "arranged_by" is not null)
);
--> statement-breakpoint
-- 002 §3.2: an exclusion's criteria, the telling of the reasons orally and in writing, and how the excluded person
-- may send their views, beside the attendance row (which keeps the reason and the views as the record shows them).
CREATE TABLE "exclusion_details" (
	"part_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"criteria" text[] NOT NULL,
	"other_reason" text,
	"told_orally_on" date,
	"told_orally_by" text,
	"told_in_writing_on" date,
	"told_in_writing_by" text,
	"views_routes" text[] NOT NULL,
	"views_note" text,
	-- Exclusions recorded before the criteria were kept: the chair confirmed the reasons were given orally and in
	-- writing, without the dates.
	"recorded_before_criteria" boolean DEFAULT false NOT NULL,
	CONSTRAINT "exclusion_details_pkey" PRIMARY KEY ("part_id", "invitee_id"),
	CONSTRAINT "exclusion_details_attendance_fk" FOREIGN KEY ("part_id", "invitee_id") REFERENCES "attendance"("part_id", "invitee_id") ON DELETE CASCADE,
	CONSTRAINT "exclusion_details_criteria_check" CHECK (cardinality("criteria") > 0 and "criteria" <@ ARRAY['violence-or-intimidation', 'disruption', 'criminal-proceedings', 'child-request', 'other']::text[]),
	CONSTRAINT "exclusion_details_other_check" CHECK (not ('other' = any("criteria")) or "other_reason" is not null),
	CONSTRAINT "exclusion_details_orally_check" CHECK ("recorded_before_criteria" or ("told_orally_on" is not null and "told_orally_by" is not null)),
	CONSTRAINT "exclusion_details_writing_check" CHECK (("told_in_writing_on" is null) = ("told_in_writing_by" is null)),
	CONSTRAINT "exclusion_details_views_check" CHECK (cardinality("views_routes") > 0)
);
--> statement-breakpoint
-- Exclusions already recorded keep their reason as "another reason" in the chair's words, and how the person's views
-- were heard as "another way".
INSERT INTO "exclusion_details" ("part_id", "invitee_id", "criteria", "other_reason", "views_routes", "views_note", "recorded_before_criteria")
SELECT "part_id", "invitee_id", ARRAY['other']::text[], coalesce(nullif(btrim("exclusion_reason"), ''), 'Not recorded'), ARRAY['other']::text[], coalesce(nullif(btrim("how_views_heard"), ''), 'Not recorded'), true
FROM "attendance" WHERE "exclusion_extent" IS NOT NULL;
