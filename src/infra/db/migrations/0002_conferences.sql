CREATE TABLE "agency_views" (
	"decision_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"view" text NOT NULL,
	"note" text,
	CONSTRAINT "agency_views_decision_id_agency_id_pk" PRIMARY KEY("decision_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "attendance" (
	"part_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"status" text NOT NULL,
	"joined_at_minutes" integer,
	"left_at_minutes" integer,
	"exclusion_extent" text,
	"exclusion_reason" text,
	"how_views_heard" text,
	"interpreter_used" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_part_id_invitee_id_pk" PRIMARY KEY("part_id","invitee_id")
);
--> statement-breakpoint
CREATE TABLE "chair_summaries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"worries" text NOT NULL,
	"positives" text NOT NULL,
	"changes" text NOT NULL,
	"recorded_by_user_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "child_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"outcome" text NOT NULL,
	"category" text,
	"reasons" text NOT NULL,
	"equally_split" boolean DEFAULT false NOT NULL,
	"senior_manager_referral_required" boolean DEFAULT false NOT NULL,
	"change_reason" text,
	"recorded_by_user_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "child_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"lead_social_worker_user_id" uuid,
	"first_core_group_date" date,
	"contingency_plan" text,
	"next_review_date" date,
	"plan_ended_meeting_date" date,
	"recorded_by_user_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conference_children" (
	"conference_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"child_views" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conference_children_conference_id_child_id_pk" PRIMARY KEY("conference_id","child_id")
);
--> statement-breakpoint
CREATE TABLE "conference_invitees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"person_id" uuid,
	"child_id" uuid,
	"professional_id" uuid,
	"agency_id" uuid,
	"direct_contact" boolean DEFAULT false NOT NULL,
	"invitation_method" text,
	"invited_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conference_parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"label" text NOT NULL,
	"start_offset_minutes" integer DEFAULT 0 NOT NULL,
	"duration_minutes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conference_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"blob_key" text,
	"file_sha256" text,
	"media_type" text,
	"size_bytes" integer,
	"received_at" timestamp with time zone NOT NULL,
	"shared_with_family_on" date,
	"withheld_from_family" boolean DEFAULT false NOT NULL,
	"withheld_reason" text,
	"uploaded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"scheduled_date" date NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"venue_kind" text NOT NULL,
	"venue_details" text,
	"online_link" text,
	"chair_user_id" uuid,
	"minute_taker_user_id" uuid,
	"strategy_discussion_date" date,
	"expected_delivery_date" date,
	"previous_conference_id" uuid,
	"notice_of_move_date" date,
	"due_rule" text NOT NULL,
	"due_date" date NOT NULL,
	"late_agreed_by" text,
	"late_reason" text,
	"proceeded_inquorate_reason" text,
	"adjournment_safety_steps" text,
	"reconvened_conference_id" uuid,
	"cancelled_reason" text,
	"created_by_user_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "core_group_members" (
	"plan_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	CONSTRAINT "core_group_members_plan_id_invitee_id_pk" PRIMARY KEY("plan_id","invitee_id")
);
--> statement-breakpoint
CREATE TABLE "dissent_referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"decision_id" uuid NOT NULL,
	"referred_to" text NOT NULL,
	"referred_on" date NOT NULL,
	"reviewed_on" date,
	"outcome" text,
	"reconvene_due" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_actions" (
	"plan_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"action" text NOT NULL,
	"who" text NOT NULL,
	"by_when" date,
	CONSTRAINT "plan_actions_plan_id_ordinal_pk" PRIMARY KEY("plan_id","ordinal")
);
--> statement-breakpoint
ALTER TABLE "agency_views" ADD CONSTRAINT "agency_views_decision_id_child_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."child_decisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_views" ADD CONSTRAINT "agency_views_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_part_id_conference_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."conference_parts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chair_summaries" ADD CONSTRAINT "chair_summaries_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chair_summaries" ADD CONSTRAINT "chair_summaries_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_decisions" ADD CONSTRAINT "child_decisions_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_decisions" ADD CONSTRAINT "child_decisions_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_decisions" ADD CONSTRAINT "child_decisions_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_plans" ADD CONSTRAINT "child_plans_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_plans" ADD CONSTRAINT "child_plans_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_plans" ADD CONSTRAINT "child_plans_lead_social_worker_user_id_users_id_fk" FOREIGN KEY ("lead_social_worker_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "child_plans" ADD CONSTRAINT "child_plans_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_children" ADD CONSTRAINT "conference_children_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_children" ADD CONSTRAINT "conference_children_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_professional_id_professionals_id_fk" FOREIGN KEY ("professional_id") REFERENCES "public"."professionals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_invitees" ADD CONSTRAINT "conference_invitees_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_parts" ADD CONSTRAINT "conference_parts_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_reports" ADD CONSTRAINT "conference_reports_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_reports" ADD CONSTRAINT "conference_reports_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conference_reports" ADD CONSTRAINT "conference_reports_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conferences" ADD CONSTRAINT "conferences_chair_user_id_users_id_fk" FOREIGN KEY ("chair_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conferences" ADD CONSTRAINT "conferences_minute_taker_user_id_users_id_fk" FOREIGN KEY ("minute_taker_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conferences" ADD CONSTRAINT "conferences_previous_conference_id_conferences_id_fk" FOREIGN KEY ("previous_conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conferences" ADD CONSTRAINT "conferences_reconvened_conference_id_conferences_id_fk" FOREIGN KEY ("reconvened_conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conferences" ADD CONSTRAINT "conferences_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core_group_members" ADD CONSTRAINT "core_group_members_plan_id_child_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."child_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "core_group_members" ADD CONSTRAINT "core_group_members_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dissent_referrals" ADD CONSTRAINT "dissent_referrals_decision_id_child_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."child_decisions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_actions" ADD CONSTRAINT "plan_actions_plan_id_child_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."child_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chair_summaries_version_key" ON "chair_summaries" USING btree ("conference_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "child_decisions_version_key" ON "child_decisions" USING btree ("conference_id","child_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "child_plans_version_key" ON "child_plans" USING btree ("conference_id","child_id","version");--> statement-breakpoint
CREATE INDEX "conference_children_child_idx" ON "conference_children" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "conference_invitees_conf_idx" ON "conference_invitees" USING btree ("conference_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conference_parts_ordinal_key" ON "conference_parts" USING btree ("conference_id","ordinal");--> statement-breakpoint
CREATE INDEX "conference_reports_conf_idx" ON "conference_reports" USING btree ("conference_id");--> statement-breakpoint
CREATE INDEX "conferences_date_idx" ON "conferences" USING btree ("scheduled_date");--> statement-breakpoint
CREATE INDEX "conferences_chair_idx" ON "conferences" USING btree ("chair_user_id");--> statement-breakpoint
CREATE INDEX "conferences_status_idx" ON "conferences" USING btree ("status");