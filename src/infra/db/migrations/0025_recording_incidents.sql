-- When recording goes wrong (001, 004). P-8: a family member or friend without parental responsibility recording a
-- conference against the parents' wishes: who (someone on the register, or described), the time they were asked to
-- stop, the meeting halted, they were asked to leave, and how it ended. Written once by the chair; never changed.
-- P-9: a covert recording discovered afterwards: an incident on each affected child's record (when and how it was
-- found, by whom, what is known of its publication), the chair told by email in the same transaction, each action
-- the chair considered (done or decided against, with date, who and outcome), and the outcome on closing.
CREATE TABLE "unpermitted_recordings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"person_invitee_id" uuid,
	"person_description" text,
	"asked_to_stop_at" text NOT NULL,
	"meeting_halted_at" text,
	"asked_to_leave_at" text,
	"outcome" text NOT NULL,
	"outcome_at" text NOT NULL,
	"notes" text,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "unpermitted_recordings_person_check" CHECK (("person_invitee_id" is null) <> ("person_description" is null)),
	CONSTRAINT "unpermitted_recordings_description_not_blank" CHECK ("person_description" is null or btrim("person_description") <> ''),
	CONSTRAINT "unpermitted_recordings_times_check" CHECK ("asked_to_stop_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "outcome_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and ("meeting_halted_at" is null or "meeting_halted_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$') and ("asked_to_leave_at" is null or "asked_to_leave_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')),
	CONSTRAINT "unpermitted_recordings_order_check" CHECK ("asked_to_stop_at" <= coalesce("meeting_halted_at", "asked_to_stop_at") and coalesce("meeting_halted_at", "asked_to_stop_at") <= coalesce("asked_to_leave_at", "meeting_halted_at", "asked_to_stop_at") and coalesce("asked_to_leave_at", "meeting_halted_at", "asked_to_stop_at") <= "outcome_at"),
	CONSTRAINT "unpermitted_recordings_leave_after_halt" CHECK ("asked_to_leave_at" is null or "meeting_halted_at" is not null),
	CONSTRAINT "unpermitted_recordings_outcome_check" CHECK ("outcome" in ('stopped', 'left', 'adjourned')),
	CONSTRAINT "unpermitted_recordings_left_check" CHECK ("outcome" <> 'left' or "asked_to_leave_at" is not null),
	CONSTRAINT "unpermitted_recordings_adjourned_check" CHECK ("outcome" <> 'adjourned' or "meeting_halted_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "covert_recording_incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"found_on" date NOT NULL,
	"found_by" text NOT NULL,
	"how_found" text NOT NULL,
	"published" text NOT NULL,
	"published_where" text,
	"published_on" date,
	"taken_down" text,
	"taken_down_on" date,
	"chair_user_id" uuid,
	"chair_message_id" uuid,
	"outcome" text,
	"closed_on" date,
	"closed_by_user_id" uuid,
	"reported_by_user_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "covert_recording_incidents_found_by_not_blank" CHECK (btrim("found_by") <> ''),
	CONSTRAINT "covert_recording_incidents_how_not_blank" CHECK (btrim("how_found") <> ''),
	CONSTRAINT "covert_recording_incidents_published_check" CHECK ("published" in ('yes', 'no', 'not-known')),
	CONSTRAINT "covert_recording_incidents_publication_check" CHECK (("published" = 'yes') = ("published_where" is not null and "taken_down" is not null) and ("published" = 'yes' or "published_on" is null)),
	CONSTRAINT "covert_recording_incidents_taken_down_check" CHECK (("taken_down" is null or "taken_down" in ('yes', 'no', 'not-known')) and ("taken_down_on" is null or "taken_down" = 'yes')),
	CONSTRAINT "covert_recording_incidents_closed_check" CHECK (("outcome" is null) = ("closed_on" is null) and ("outcome" is null or btrim("outcome") <> '')),
	CONSTRAINT "covert_recording_incidents_version_check" CHECK ("version" > 0)
);
--> statement-breakpoint
CREATE TABLE "covert_recording_incident_children" (
	"incident_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	CONSTRAINT "covert_recording_incident_children_incident_id_child_id_pk" PRIMARY KEY("incident_id","child_id")
);
--> statement-breakpoint
CREATE TABLE "covert_recording_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"action" text NOT NULL,
	"description" text,
	"decision" text NOT NULL,
	"done_on" date NOT NULL,
	"done_by" text NOT NULL,
	"outcome" text,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "covert_recording_actions_action_check" CHECK ("action" in ('inform-network', 'inform-legal', 'legal-advice', 'injunction', 'other')),
	CONSTRAINT "covert_recording_actions_other_check" CHECK ("action" <> 'other' or btrim(coalesce("description", '')) <> ''),
	CONSTRAINT "covert_recording_actions_decision_check" CHECK ("decision" in ('taken', 'not-taken')),
	CONSTRAINT "covert_recording_actions_reason_check" CHECK ("decision" <> 'not-taken' or btrim(coalesce("outcome", '')) <> ''),
	CONSTRAINT "covert_recording_actions_by_not_blank" CHECK (btrim("done_by") <> '')
);
--> statement-breakpoint
ALTER TABLE "unpermitted_recordings" ADD CONSTRAINT "unpermitted_recordings_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unpermitted_recordings" ADD CONSTRAINT "unpermitted_recordings_person_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("person_invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unpermitted_recordings" ADD CONSTRAINT "unpermitted_recordings_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_incidents" ADD CONSTRAINT "covert_recording_incidents_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_incidents" ADD CONSTRAINT "covert_recording_incidents_chair_user_id_users_id_fk" FOREIGN KEY ("chair_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_incidents" ADD CONSTRAINT "covert_recording_incidents_closed_by_user_id_users_id_fk" FOREIGN KEY ("closed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_incidents" ADD CONSTRAINT "covert_recording_incidents_reported_by_user_id_users_id_fk" FOREIGN KEY ("reported_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_incident_children" ADD CONSTRAINT "covert_recording_incident_children_incident_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."covert_recording_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_incident_children" ADD CONSTRAINT "covert_recording_incident_children_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_actions" ADD CONSTRAINT "covert_recording_actions_incident_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."covert_recording_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_actions" ADD CONSTRAINT "covert_recording_actions_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "unpermitted_recordings_conf_idx" ON "unpermitted_recordings" USING btree ("conference_id","asked_to_stop_at");--> statement-breakpoint
CREATE INDEX "covert_recording_incidents_conf_idx" ON "covert_recording_incidents" USING btree ("conference_id","found_on");--> statement-breakpoint
-- The dashboards list open incidents.
CREATE INDEX "covert_recording_incidents_open_idx" ON "covert_recording_incidents" USING btree ("found_on") WHERE "closed_on" is null;--> statement-breakpoint
CREATE INDEX "covert_recording_incident_children_child_idx" ON "covert_recording_incident_children" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "covert_recording_actions_incident_idx" ON "covert_recording_actions" USING btree ("incident_id","done_on");
