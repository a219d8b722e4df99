-- Why a conference is held, where the procedure asks at convening (002 §1.3, §2.2): the grounds for a pre-birth
-- conference and whether a premature birth is likely (T-2's window ends earlier), and the reason a review was
-- brought forward (T-3). One row per conference that has any of them; written once when it is convened.
CREATE TABLE "conference_convening_grounds" (
	"conference_id" uuid PRIMARY KEY NOT NULL,
	"pre_birth_grounds" text[] DEFAULT '{}'::text[] NOT NULL,
	"premature_birth_likely" boolean DEFAULT false NOT NULL,
	"brought_forward_reason" text,
	"brought_forward_other" text,
	CONSTRAINT "conference_convening_grounds_pre_birth_check" CHECK ("pre_birth_grounds" <@ ARRAY['assessment-significant-harm', 'previous-children-removed', 'historical-knowledge', 'risk-in-household']::text[]),
	CONSTRAINT "conference_convening_grounds_reason_check" CHECK ("brought_forward_reason" is null or "brought_forward_reason" in ('new-incident', 'plan-difficulties', 'birth-into-household', 'offender-contact', 'family-changes', 'plan-no-longer-needed', 'other')),
	CONSTRAINT "conference_convening_grounds_other_check" CHECK (("brought_forward_reason" = 'other') = ("brought_forward_other" is not null and btrim("brought_forward_other") <> ''))
);
--> statement-breakpoint
ALTER TABLE "conference_convening_grounds" ADD CONSTRAINT "conference_convening_grounds_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- A professional's request that children's social care convene a conference (002 §1.1): who asked (a professional
-- on the child's record, or described), their concerns, whether a senior manager, named or designated professional
-- supports it, and the team manager's decision: agreed (and the conference convened for it, once it is), or declined
-- with the reasons, the discussion held and, for a supported request, why it is the exception.
CREATE TABLE "conference_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"professional_id" uuid,
	"requester_name" text NOT NULL,
	"requester_agency" text NOT NULL,
	"requester_role" text NOT NULL,
	"requester_email" text,
	"reasons" text NOT NULL,
	"support" text NOT NULL,
	"supporter_name" text,
	"status" text DEFAULT 'awaiting-decision' NOT NULL,
	"decline_reasons" text,
	"discussion" text,
	"exception_reason" text,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	"requester_told_message_id" uuid,
	"recorded_by_user_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "conference_requests_support_check" CHECK ("support" in ('none', 'senior-manager', 'named-professional', 'designated-professional')),
	CONSTRAINT "conference_requests_supporter_check" CHECK (("support" = 'none') = ("supporter_name" is null)),
	CONSTRAINT "conference_requests_status_check" CHECK ("status" in ('awaiting-decision', 'agreed', 'declined')),
	CONSTRAINT "conference_requests_decided_check" CHECK (("status" = 'awaiting-decision') = ("decided_at" is null)),
	CONSTRAINT "conference_requests_declined_check" CHECK ("status" <> 'declined' or ("decline_reasons" is not null and "discussion" is not null)),
	CONSTRAINT "conference_requests_exception_check" CHECK ("status" <> 'declined' or "support" = 'none' or "exception_reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "conference_requests" ADD CONSTRAINT "conference_requests_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "conference_requests" ADD CONSTRAINT "conference_requests_professional_id_professionals_id_fk" FOREIGN KEY ("professional_id") REFERENCES "public"."professionals"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "conference_requests" ADD CONSTRAINT "conference_requests_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "conference_requests" ADD CONSTRAINT "conference_requests_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "conference_requests_child_idx" ON "conference_requests" USING btree ("child_id");
--> statement-breakpoint
CREATE INDEX "conference_requests_waiting_idx" ON "conference_requests" USING btree ("recorded_at") WHERE "status" = 'awaiting-decision';
