-- Complaints about a conference (W-7, 002 §3.12): what it is about (the process, the category, whether a plan was
-- made), who complained (a parent or young person invited to the conference, or someone else by name), when it
-- was received and what it says, the council's stage (informal resolution by the chair, formal investigation,
-- review panel), the investigator chosen for a formal investigation, and the outcome with the date it closed.
-- While a complaint is open its investigator may view the conference's written record and listen to its
-- recordings for the complaint only; the access ends when the complaint closes.
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"about" jsonb NOT NULL,
	"complainant_invitee_id" uuid,
	"complainant_name" text,
	"received_on" date NOT NULL,
	"summary" text NOT NULL,
	"stage" text NOT NULL,
	"investigator_user_id" uuid,
	"outcome" text,
	"closed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by_user_id" uuid,
	"updated_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "complaints_about_check" CHECK (jsonb_typeof("about") = 'array' and jsonb_array_length("about") > 0),
	CONSTRAINT "complaints_complainant_check" CHECK (("complainant_invitee_id" is null) <> ("complainant_name" is null)),
	CONSTRAINT "complaints_name_not_blank" CHECK ("complainant_name" is null or btrim("complainant_name") <> ''),
	CONSTRAINT "complaints_summary_not_blank" CHECK (btrim("summary") <> ''),
	CONSTRAINT "complaints_stage_check" CHECK ("stage" in ('informal', 'formal', 'review-panel')),
	CONSTRAINT "complaints_outcome_check" CHECK ("outcome" is null or "outcome" in ('upheld', 'partly-upheld', 'not-upheld', 'withdrawn')),
	CONSTRAINT "complaints_closed_check" CHECK (("outcome" is null) = ("closed_on" is null)),
	CONSTRAINT "complaints_investigator_check" CHECK ("investigator_user_id" is null or "stage" <> 'informal'),
	CONSTRAINT "complaints_version_check" CHECK ("version" > 0)
);
--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_complainant_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("complainant_invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_investigator_user_id_users_id_fk" FOREIGN KEY ("investigator_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaints_conf_idx" ON "complaints" USING btree ("conference_id","received_on");--> statement-breakpoint
-- The investigator's access is looked up by conference and user while the complaint is open.
CREATE INDEX "complaints_investigator_idx" ON "complaints" USING btree ("investigator_user_id","conference_id") WHERE "investigator_user_id" is not null;
