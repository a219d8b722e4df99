-- W-5, T-8: the chair's decision on an amendment request is a letter of its own, addressed to the person who asked
-- (the draft's subject invitee) and prepared once the chair has decided every point. A conference holds one such
-- letter per amendment request, so the draft names its request; one person's two requests make two letters.
ALTER TABLE "document_drafts" ADD COLUMN "amendment_request_id" uuid;--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_amendment_request_id_amendment_requests_id_fk" FOREIGN KEY ("amendment_request_id") REFERENCES "public"."amendment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_drafts" DROP CONSTRAINT "document_drafts_kind_check";--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_kind_check" CHECK ("kind" in ('decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record', 'inquorate-notes', 'exclusion-letter', 'amendment-decision-letter'));--> statement-breakpoint
ALTER TABLE "document_drafts" DROP CONSTRAINT "document_drafts_subject_check";--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_subject_check" CHECK (("kind" in ('exclusion-letter', 'amendment-decision-letter')) = ("subject_invitee_id" is not null));--> statement-breakpoint
ALTER TABLE "document_drafts" ADD CONSTRAINT "document_drafts_amendment_request_check" CHECK (("kind" = 'amendment-decision-letter') = ("amendment_request_id" is not null));--> statement-breakpoint
-- One exclusion letter per excluded person, as before; decision letters on amendments are one per request instead.
DROP INDEX "document_drafts_subject_key";--> statement-breakpoint
CREATE UNIQUE INDEX "document_drafts_subject_key" ON "document_drafts" USING btree ("conference_id","kind","subject_invitee_id") WHERE "subject_invitee_id" is not null and "amendment_request_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "document_drafts_amendment_request_key" ON "document_drafts" USING btree ("amendment_request_id") WHERE "amendment_request_id" is not null;--> statement-breakpoint
ALTER TABLE "issued_documents" DROP CONSTRAINT "issued_documents_kind_check";--> statement-breakpoint
ALTER TABLE "issued_documents" ADD CONSTRAINT "issued_documents_kind_check" CHECK ("kind" in ('decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record', 'inquorate-notes', 'exclusion-letter', 'amendment-decision-letter'));--> statement-breakpoint
ALTER TABLE "document_tasks" DROP CONSTRAINT "document_tasks_kind_check";--> statement-breakpoint
ALTER TABLE "document_tasks" ADD CONSTRAINT "document_tasks_kind_check" CHECK ("kind" in ('decision-letter', 'plan-and-core-group-letter', 'chairs-summary', 'conference-record', 'inquorate-notes', 'exclusion-letter', 'amendment-decision-letter'));
