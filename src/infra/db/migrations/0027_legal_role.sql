-- P-9: an open covert recording incident reminds its chair by email every few working days until it is closed. One
-- row per reminder: the primary key (incident, the day it fell due) lets only one node send it, even when two run
-- the scheduled job at once. The chair's email is in the outbox (message_id); null when no chair could be reminded.
-- The council's legal advisers (role legal_adviser) need no schema change: roles are kept as text and checked by
-- the service.
CREATE TABLE "covert_recording_reminders" (
	"incident_id" uuid NOT NULL,
	"due_on" date NOT NULL,
	"sent_on" date NOT NULL,
	"recipient_user_id" uuid,
	"message_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "covert_recording_reminders_incident_id_due_on_pk" PRIMARY KEY("incident_id","due_on"),
	CONSTRAINT "covert_recording_reminders_sent_check" CHECK ("sent_on" >= "due_on"),
	CONSTRAINT "covert_recording_reminders_recipient_check" CHECK (("message_id" is null) = ("recipient_user_id" is null))
);
--> statement-breakpoint
ALTER TABLE "covert_recording_reminders" ADD CONSTRAINT "covert_recording_reminders_incident_id_covert_recording_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."covert_recording_incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "covert_recording_reminders" ADD CONSTRAINT "covert_recording_reminders_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;
