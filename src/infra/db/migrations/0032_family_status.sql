-- The family record and the chair (002 §1.1, §3.10, §4.1; A-10).
-- 002 §1.1: each adult's nationality and immigration status, as children's already are; 002 §3.10: each child's
-- legal status, for the conference record's "family composition and legal status of the children". A null legal
-- status is "not yet recorded"; "other" needs its details.
ALTER TABLE "people" ADD COLUMN "nationality" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "immigration_status" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "legal_status" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "legal_status_details" text;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_legal_status_check" CHECK ("legal_status" is null or "legal_status" in ('none', 'child-in-need', 'section-20', 'police-protection', 'emergency-protection-order', 'interim-care-order', 'care-order', 'interim-supervision-order', 'supervision-order', 'placement-order', 'special-guardianship-order', 'child-arrangements-order', 'other'));--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_legal_status_details_check" CHECK ("legal_status" is distinct from 'other' or "legal_status_details" is not null);--> statement-breakpoint
-- 002 §4.1: the chair is independent of line management for the case, so a member of staff may name their line
-- manager (set by an administrator).
ALTER TABLE "users" ADD COLUMN "line_manager_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_line_manager_id_users_id_fk" FOREIGN KEY ("line_manager_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_line_manager_not_self_check" CHECK ("line_manager_id" is distinct from "id");--> statement-breakpoint
-- 002 §4.1: a chair who is a child's social worker or that social worker's line manager chairs only with a recorded
-- reason, one row each time such a chair is set (when convened or when the chair is changed). Append-only.
CREATE TABLE "chair_independence_reasons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"chair_user_id" uuid NOT NULL,
	"occasion" text NOT NULL,
	"concerns" text[] NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "chair_independence_reasons_occasion_check" CHECK ("occasion" in ('convened', 'chair-changed')),
	CONSTRAINT "chair_independence_reasons_concerns_check" CHECK (cardinality("concerns") > 0)
);--> statement-breakpoint
ALTER TABLE "chair_independence_reasons" ADD CONSTRAINT "chair_independence_reasons_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chair_independence_reasons" ADD CONSTRAINT "chair_independence_reasons_chair_user_id_users_id_fk" FOREIGN KEY ("chair_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chair_independence_reasons" ADD CONSTRAINT "chair_independence_reasons_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chair_independence_reasons_conference_idx" ON "chair_independence_reasons" USING btree ("conference_id");--> statement-breakpoint
-- 002 §4.1: before the conference the chair meets the child and family; when, who, or why not. One per conference.
CREATE TABLE "chair_family_meetings" (
	"conference_id" uuid PRIMARY KEY NOT NULL,
	"met" boolean NOT NULL,
	"met_on" date,
	"who_met" text,
	"not_met_reason" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "chair_family_meetings_shape_check" CHECK (("met" and "met_on" is not null and "who_met" is not null and "not_met_reason" is null) or (not "met" and "met_on" is null and "who_met" is null and "not_met_reason" is not null))
);--> statement-breakpoint
ALTER TABLE "chair_family_meetings" ADD CONSTRAINT "chair_family_meetings_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chair_family_meetings" ADD CONSTRAINT "chair_family_meetings_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A-10: advice asked of the information management team on a complex request for a copy, and its answer.
CREATE TABLE "copy_request_advice" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"question" text NOT NULL,
	"asked_by" uuid NOT NULL,
	"asked_on" date NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"answer" text,
	"answered_by" text,
	"answered_on" date,
	"answer_recorded_by" uuid,
	"answer_recorded_at" timestamp with time zone,
	CONSTRAINT "copy_request_advice_answer_check" CHECK (("answer" is null) = ("answered_by" is null) and ("answer" is null) = ("answered_on" is null) and ("answer" is null) = ("answer_recorded_by" is null) and ("answer" is null) = ("answer_recorded_at" is null))
);--> statement-breakpoint
ALTER TABLE "copy_request_advice" ADD CONSTRAINT "copy_request_advice_request_id_copy_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."copy_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "copy_request_advice" ADD CONSTRAINT "copy_request_advice_asked_by_users_id_fk" FOREIGN KEY ("asked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "copy_request_advice" ADD CONSTRAINT "copy_request_advice_answer_recorded_by_users_id_fk" FOREIGN KEY ("answer_recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "copy_request_advice_request_idx" ON "copy_request_advice" USING btree ("request_id");
