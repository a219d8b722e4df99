-- The family's recording on the day of a conference (004 §2.6–2.11, §3.3; 001; 002 §3.10).
-- P-1, P-5: a request to record made during the meeting, by someone present who may ask, with the limits accepted
-- (P-7). P-4, P-5: each round of asking everyone present for consent (before any discussion, when someone joined,
-- when a new request was made), for one request, with each person's answer, the reason for a refusal and what
-- further authorisation is needed. P-7: a copy of the family's recording handed over on request, stored encrypted
-- like every recording and marked as the family's, never the official record. Written once; never changed.
-- Rounds are in the order they were recorded (`seq`): the latest decides who has still to be asked (P-5).
CREATE TABLE "recording_meeting_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"requester_invitee_id" uuid NOT NULL,
	"asked_at" text NOT NULL,
	"purpose" text NOT NULL,
	"limits_accepted" boolean NOT NULL,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recording_meeting_requests_time_check" CHECK ("asked_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
	CONSTRAINT "recording_meeting_requests_purpose_not_blank" CHECK (btrim("purpose") <> ''),
	CONSTRAINT "recording_meeting_requests_limits_check" CHECK ("limits_accepted")
);
--> statement-breakpoint
CREATE TABLE "recording_consent_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "recording_consent_rounds_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"conference_id" uuid NOT NULL,
	"permission_request_id" uuid,
	"meeting_request_id" uuid,
	"occasion" text NOT NULL,
	"asked_at" text NOT NULL,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recording_consent_rounds_request_check" CHECK (("permission_request_id" is null) <> ("meeting_request_id" is null)),
	CONSTRAINT "recording_consent_rounds_occasion_check" CHECK ("occasion" in ('start', 'joined', 'new-request')),
	CONSTRAINT "recording_consent_rounds_time_check" CHECK ("asked_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "recording_consents" (
	"round_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"answer" text NOT NULL,
	"reason" text,
	"further_authorisation" text,
	CONSTRAINT "recording_consents_round_id_invitee_id_pk" PRIMARY KEY("round_id","invitee_id"),
	CONSTRAINT "recording_consents_answer_check" CHECK ("answer" in ('agrees', 'refuses')),
	CONSTRAINT "recording_consents_refusal_check" CHECK (("answer" = 'agrees' and "reason" is null and "further_authorisation" is null) or ("answer" = 'refuses' and ("reason" is not null or "further_authorisation" is not null)))
);
--> statement-breakpoint
CREATE TABLE "family_recording_copies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"permission_request_id" uuid,
	"meeting_request_id" uuid,
	"handed_over_on" date NOT NULL,
	"handed_over_by" text NOT NULL,
	"format" text NOT NULL,
	"blob_key" text NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"encrypted_sha256" text NOT NULL,
	"encrypted_size" bigint NOT NULL,
	"uploaded_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "family_recording_copies_request_check" CHECK (("permission_request_id" is null) <> ("meeting_request_id" is null)),
	CONSTRAINT "family_recording_copies_format_check" CHECK ("format" in ('mp3', 'm4a', 'wav', 'ogg', 'webm', 'amr')),
	CONSTRAINT "family_recording_copies_by_not_blank" CHECK (btrim("handed_over_by") <> ''),
	CONSTRAINT "family_recording_copies_size_check" CHECK ("size" > 0 and "encrypted_size" > 0)
);
--> statement-breakpoint
ALTER TABLE "recording_meeting_requests" ADD CONSTRAINT "recording_meeting_requests_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_meeting_requests" ADD CONSTRAINT "recording_meeting_requests_requester_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("requester_invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_meeting_requests" ADD CONSTRAINT "recording_meeting_requests_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_consent_rounds" ADD CONSTRAINT "recording_consent_rounds_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_consent_rounds" ADD CONSTRAINT "recording_consent_rounds_permission_request_id_fk" FOREIGN KEY ("permission_request_id") REFERENCES "public"."recording_permission_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_consent_rounds" ADD CONSTRAINT "recording_consent_rounds_meeting_request_id_fk" FOREIGN KEY ("meeting_request_id") REFERENCES "public"."recording_meeting_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_consent_rounds" ADD CONSTRAINT "recording_consent_rounds_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_consents" ADD CONSTRAINT "recording_consents_round_id_recording_consent_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."recording_consent_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_consents" ADD CONSTRAINT "recording_consents_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_recording_copies" ADD CONSTRAINT "family_recording_copies_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_recording_copies" ADD CONSTRAINT "family_recording_copies_permission_request_id_fk" FOREIGN KEY ("permission_request_id") REFERENCES "public"."recording_permission_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_recording_copies" ADD CONSTRAINT "family_recording_copies_meeting_request_id_fk" FOREIGN KEY ("meeting_request_id") REFERENCES "public"."recording_meeting_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_recording_copies" ADD CONSTRAINT "family_recording_copies_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recording_meeting_requests_conference_idx" ON "recording_meeting_requests" USING btree ("conference_id");--> statement-breakpoint
CREATE INDEX "recording_consent_rounds_conference_idx" ON "recording_consent_rounds" USING btree ("conference_id","seq");--> statement-breakpoint
CREATE INDEX "family_recording_copies_conference_idx" ON "family_recording_copies" USING btree ("conference_id");--> statement-breakpoint
CREATE UNIQUE INDEX "family_recording_copies_blob_unique" ON "family_recording_copies" USING btree ("blob_key");
