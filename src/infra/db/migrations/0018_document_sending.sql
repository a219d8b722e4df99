-- Sending the issued copies and the proof that they went (W-4, W-6, T-6, T-7): one row each time one issue of a
-- document is sent to one recipient, by post (with the date posted) or as an email linking to the copy in the
-- service (with its outbox message, whose state says whether it was refused), and when the recipient opened
-- the link and downloaded the copy.
CREATE TABLE "document_sendings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conference_id" uuid NOT NULL,
	"draft_id" uuid NOT NULL,
	"issue_number" integer NOT NULL,
	"recipient_invitee_id" uuid NOT NULL,
	"method" text NOT NULL,
	"posted_on" date,
	"outbox_message_id" uuid,
	"recipient_user_id" uuid,
	"sent_by_user_id" uuid,
	"sent_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"downloaded_at" timestamp with time zone,
	"downloads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "document_sendings_method_check" CHECK ("method" in ('post', 'email-link')),
	CONSTRAINT "document_sendings_issue_number_check" CHECK ("issue_number" > 0),
	CONSTRAINT "document_sendings_downloads_check" CHECK ("downloads" >= 0),
	CONSTRAINT "document_sendings_post_check" CHECK (("method" = 'post') = ("posted_on" is not null)),
	CONSTRAINT "document_sendings_email_check" CHECK (("method" = 'email-link') = ("outbox_message_id" is not null and "recipient_user_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_conference_id_conferences_id_fk" FOREIGN KEY ("conference_id") REFERENCES "public"."conferences"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_draft_id_document_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."document_drafts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_recipient_invitee_id_conference_invitees_id_fk" FOREIGN KEY ("recipient_invitee_id") REFERENCES "public"."conference_invitees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_outbox_message_id_outbox_messages_id_fk" FOREIGN KEY ("outbox_message_id") REFERENCES "public"."outbox_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_sent_by_user_id_users_id_fk" FOREIGN KEY ("sent_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_sendings_conf_idx" ON "document_sendings" USING btree ("conference_id","sent_at");--> statement-breakpoint
CREATE INDEX "document_sendings_copy_idx" ON "document_sendings" USING btree ("draft_id","issue_number","recipient_invitee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "document_sendings_posted_key" ON "document_sendings" USING btree ("draft_id","issue_number","recipient_invitee_id") WHERE "method" = 'post';
