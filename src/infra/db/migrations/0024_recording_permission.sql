-- Permission to record a meeting (004, 001, 002 §3.10; P-1, P-2, P-3, P-6, T-11). A request to record belongs to one
-- meeting: a conference held in the service, or another meeting about a child (a core group, a child in need
-- meeting or any other) recorded by its kind, date, time and organiser. It keeps who asked (a child the meeting is
-- about, a family member, or someone else by name: P-1), when and how they asked, why, how they signed the
-- undertaking not to publish or share the recording (a signed notice of intent uploaded and kept as a stored file,
-- or the form completed and confirmed by the requester through a secure link), whether it was asked less than the
-- council's notice before the meeting (T-11), the decision against the refusal grounds with the evidence for each
-- and the alternatives offered (P-2), and when the decision was confirmed to the requester (P-3). Later parts of
-- the process (consent on the day, the meeting record, the family's own recording) refer to the request by its id.
CREATE TABLE "recording_permission_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid,
	"child_id" uuid,
	"meeting_kind" text NOT NULL,
	"meeting_date" date,
	"meeting_time" text,
	"organiser" text,
	"requester_kind" text NOT NULL,
	"requester_child_id" uuid,
	"requester_person_id" uuid,
	"requester_name" text NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"purpose" text NOT NULL,
	"undertaking_method" text NOT NULL,
	"undertaking_blob_key" text,
	"undertaking_sha256" text,
	"undertaking_size" integer,
	"undertaking_format" text,
	"undertaking_signed_at" timestamp with time zone,
	"undertaking_signed_via" text,
	"hours_before" integer NOT NULL,
	"late" boolean NOT NULL,
	"status" text NOT NULL,
	"not_eligible_reason" text,
	"decision_grounds" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"decision_alternatives" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"alternatives_note" text,
	"decision_reasons" text,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"confirmed_by_user_id" uuid,
	"confirmed_by_email" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rec_perm_meeting_check" CHECK (("meeting_kind" = 'conference') = ("conference_id" is not null) and ("conference_id" is null) <> ("child_id" is null)),
	CONSTRAINT "rec_perm_meeting_kind_check" CHECK ("meeting_kind" in ('conference', 'core-group', 'child-in-need', 'other')),
	CONSTRAINT "rec_perm_other_meeting_check" CHECK ("child_id" is null or ("meeting_date" is not null and "meeting_time" is not null and "organiser" is not null)),
	CONSTRAINT "rec_perm_requester_check" CHECK (("requester_kind" = 'child' and "requester_child_id" is not null and "requester_person_id" is null) or ("requester_kind" = 'family' and "requester_person_id" is not null and "requester_child_id" is null) or ("requester_kind" = 'someone-else' and "requester_person_id" is null and "requester_child_id" is null)),
	CONSTRAINT "rec_perm_requester_name_not_blank" CHECK (btrim("requester_name") <> ''),
	CONSTRAINT "rec_perm_method_check" CHECK ("method" in ('in-person', 'phone', 'email', 'letter')),
	CONSTRAINT "rec_perm_purpose_not_blank" CHECK (btrim("purpose") <> ''),
	CONSTRAINT "rec_perm_undertaking_method_check" CHECK ("undertaking_method" in ('upload', 'online', 'later')),
	CONSTRAINT "rec_perm_undertaking_file_check" CHECK (("undertaking_blob_key" is null) = ("undertaking_sha256" is null) and ("undertaking_blob_key" is null) = ("undertaking_size" is null) and ("undertaking_blob_key" is null) = ("undertaking_format" is null)),
	CONSTRAINT "rec_perm_undertaking_signed_check" CHECK (("undertaking_signed_at" is null) = ("undertaking_signed_via" is null) and ("undertaking_signed_via" is null or "undertaking_signed_via" in ('upload', 'online')) and ("undertaking_signed_via" <> 'upload' or "undertaking_blob_key" is not null)),
	CONSTRAINT "rec_perm_status_check" CHECK ("status" in ('awaiting-undertaking', 'awaiting-decision', 'granted', 'refused', 'not-eligible')),
	CONSTRAINT "rec_perm_not_eligible_check" CHECK (("status" = 'not-eligible') = ("not_eligible_reason" is not null)),
	CONSTRAINT "rec_perm_decided_check" CHECK (("status" in ('granted', 'refused')) = ("decided_at" is not null) and ("decided_at" is null) = ("decision_reasons" is null)),
	CONSTRAINT "rec_perm_granted_signed_check" CHECK ("status" <> 'granted' or "undertaking_signed_at" is not null),
	CONSTRAINT "rec_perm_grounds_check" CHECK (jsonb_typeof("decision_grounds") = 'array' and jsonb_typeof("decision_alternatives") = 'array' and ("status" <> 'refused' or (jsonb_array_length("decision_grounds") > 0 and jsonb_array_length("decision_alternatives") > 0))),
	CONSTRAINT "rec_perm_confirmed_check" CHECK ("confirmed_at" is null or "status" in ('granted', 'refused', 'not-eligible')),
	CONSTRAINT "rec_perm_hours_check" CHECK ("hours_before" >= 0),
	CONSTRAINT "rec_perm_version_check" CHECK ("version" > 0)
);
--> statement-breakpoint
-- P-6: where professionals disagree about recording a conference, each one's view (and the reason for a
-- disagreement) is kept; the chair's decision is the request's own.
CREATE TABLE "recording_permission_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"view" text NOT NULL,
	"reason" text,
	"recorded_by_user_id" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rec_perm_views_view_check" CHECK ("view" in ('for', 'against')),
	CONSTRAINT "rec_perm_views_reason_check" CHECK ("view" <> 'against' or ("reason" is not null and btrim("reason") <> ''))
);
--> statement-breakpoint
-- P-1: the secure link a requester follows to complete and confirm the undertaking, with a one-time code sent to
-- their email. Only SHA-256 digests of the link's token and of the code are kept, never the values.
CREATE TABLE "recording_permission_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"confirmed_name" text,
	"code_hash" text,
	"code_issued_at" timestamp with time zone,
	"code_expires_at" timestamp with time zone,
	"code_attempts" integer DEFAULT 0 NOT NULL,
	"codes_issued" integer DEFAULT 0 NOT NULL,
	"code_used_at" timestamp with time zone,
	"created_by_user_id" uuid,
	CONSTRAINT "rec_perm_links_hash_check" CHECK ("token_hash" ~ '^[0-9a-f]{64}$' and ("code_hash" is null or "code_hash" ~ '^[0-9a-f]{64}$')),
	CONSTRAINT "rec_perm_links_code_check" CHECK (("code_hash" is null) = ("code_issued_at" is null) and ("code_hash" is null) = ("code_expires_at" is null)),
	CONSTRAINT "rec_perm_links_confirmed_check" CHECK (("confirmed_at" is null) = ("confirmed_name" is null)),
	CONSTRAINT "rec_perm_links_attempts_check" CHECK ("code_attempts" >= 0 and "codes_issued" >= 0)
);
--> statement-breakpoint
ALTER TABLE "recording_permission_requests" ADD CONSTRAINT "rec_perm_conference_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_requests" ADD CONSTRAINT "rec_perm_child_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_requests" ADD CONSTRAINT "rec_perm_requester_child_fk" FOREIGN KEY ("requester_child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_requests" ADD CONSTRAINT "rec_perm_requester_person_fk" FOREIGN KEY ("requester_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_requests" ADD CONSTRAINT "rec_perm_decided_by_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_requests" ADD CONSTRAINT "rec_perm_confirmed_by_fk" FOREIGN KEY ("confirmed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_requests" ADD CONSTRAINT "rec_perm_created_by_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_views" ADD CONSTRAINT "rec_perm_views_request_fk" FOREIGN KEY ("request_id") REFERENCES "public"."recording_permission_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_views" ADD CONSTRAINT "rec_perm_views_invitee_fk" FOREIGN KEY ("invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_views" ADD CONSTRAINT "rec_perm_views_recorded_by_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_links" ADD CONSTRAINT "rec_perm_links_request_fk" FOREIGN KEY ("request_id") REFERENCES "public"."recording_permission_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recording_permission_links" ADD CONSTRAINT "rec_perm_links_created_by_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rec_perm_conference_idx" ON "recording_permission_requests" USING btree ("conference_id","asked_at") WHERE "conference_id" is not null;--> statement-breakpoint
CREATE INDEX "rec_perm_child_idx" ON "recording_permission_requests" USING btree ("child_id","asked_at") WHERE "child_id" is not null;--> statement-breakpoint
-- The decision-makers' list: requests still waiting for the undertaking or a decision.
CREATE INDEX "rec_perm_waiting_idx" ON "recording_permission_requests" USING btree ("status") WHERE "status" in ('awaiting-undertaking', 'awaiting-decision');--> statement-breakpoint
CREATE UNIQUE INDEX "rec_perm_views_unique" ON "recording_permission_views" USING btree ("request_id","invitee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rec_perm_links_token_unique" ON "recording_permission_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "rec_perm_links_request_idx" ON "recording_permission_links" USING btree ("request_id");
