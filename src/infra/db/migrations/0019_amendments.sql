-- Amendments to the written record (W-5, T-8): a recipient's request, point by point, and the chair's decisions.
CREATE TABLE "amendment_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"draft_id" uuid NOT NULL,
	"issue_number" integer NOT NULL,
	"requester_invitee_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"received_on" date NOT NULL,
	"record_received_on" date NOT NULL,
	"due_on" date NOT NULL,
	"late" boolean NOT NULL,
	"points" jsonb NOT NULL,
	"issued_document" jsonb NOT NULL,
	"status" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"recorded_by_user_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "amendment_requests_channel_check" CHECK ("amendment_requests"."channel" in ('letter', 'email', 'phone', 'in-person')),
	CONSTRAINT "amendment_requests_status_check" CHECK ("amendment_requests"."status" in ('waiting-for-chair', 'decided')),
	CONSTRAINT "amendment_requests_issue_number_check" CHECK ("amendment_requests"."issue_number" > 0),
	CONSTRAINT "amendment_requests_version_check" CHECK ("amendment_requests"."version" > 0),
	CONSTRAINT "amendment_requests_points_check" CHECK (jsonb_typeof("amendment_requests"."points") = 'array' and jsonb_array_length("amendment_requests"."points") > 0),
	CONSTRAINT "amendment_requests_decided_check" CHECK (("amendment_requests"."status" = 'decided') = ("amendment_requests"."decided_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "amendment_requests" ADD CONSTRAINT "amendment_requests_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendment_requests" ADD CONSTRAINT "amendment_requests_draft_id_document_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."document_drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendment_requests" ADD CONSTRAINT "amendment_requests_requester_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("requester_invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendment_requests" ADD CONSTRAINT "amendment_requests_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "amendment_requests" ADD CONSTRAINT "amendment_requests_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "amendment_requests_conf_idx" ON "amendment_requests" USING btree ("conference_id","recorded_at");--> statement-breakpoint
CREATE INDEX "amendment_requests_waiting_idx" ON "amendment_requests" USING btree ("due_on") WHERE "amendment_requests"."status" = 'waiting-for-chair';
