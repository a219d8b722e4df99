CREATE TABLE "copy_request_steps" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "copy_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" serial NOT NULL,
	"conference_id" uuid NOT NULL,
	"chair_id" uuid,
	"state" text NOT NULL,
	"requester_type" text NOT NULL,
	"received_on" date NOT NULL,
	"due_on" date NOT NULL,
	"extended" boolean DEFAULT false NOT NULL,
	"sent_at" timestamp with time zone,
	"data" jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "copy_requests_number_unique" UNIQUE("number"),
	CONSTRAINT "copy_requests_state_check" CHECK ("copy_requests"."state" in ('received', 'referred', 'queries-resolved', 'recording-checked', 'verification-requested', 'verified', 'verification-failed', 'copy-prepared', 'copy-approved', 'sent', 'notified', 'closed', 'refused', 'withdrawn')),
	CONSTRAINT "copy_requests_version_check" CHECK ("copy_requests"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "copy_request_steps" ADD CONSTRAINT "copy_request_steps_request_id_copy_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."copy_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "copy_request_steps" ADD CONSTRAINT "copy_request_steps_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "copy_requests" ADD CONSTRAINT "copy_requests_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "copy_requests" ADD CONSTRAINT "copy_requests_chair_id_users_id_fk" FOREIGN KEY ("chair_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "copy_request_steps_request_idx" ON "copy_request_steps" USING btree ("request_id","seq");--> statement-breakpoint
CREATE INDEX "copy_requests_queue_idx" ON "copy_requests" USING btree ("state","due_on");--> statement-breakpoint
CREATE INDEX "copy_requests_chair_idx" ON "copy_requests" USING btree ("chair_id","state");--> statement-breakpoint
CREATE INDEX "copy_requests_conference_idx" ON "copy_requests" USING btree ("conference_id");--> statement-breakpoint
-- A request's timeline is append-only, and a request is never deleted (its refusal or closure is the record).
CREATE OR REPLACE FUNCTION copy_requests_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept for good: DELETE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION '% rows never change: UPDATE refused', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER copy_request_steps_never_change BEFORE UPDATE OR DELETE ON copy_request_steps FOR EACH ROW EXECUTE FUNCTION copy_requests_refuse_change();
--> statement-breakpoint
CREATE TRIGGER copy_requests_never_deleted BEFORE DELETE ON copy_requests FOR EACH ROW EXECUTE FUNCTION copy_requests_refuse_change();
