-- Secure delivery of issued documents (W-4, W-6, A-5, A-6): a family member or a professional without an account is
-- sent their copy through the download page built for copies of recordings (a link, a one-time code to an address
-- confirmed as theirs and secure, an expiry, download limits, revocation, audit). A delivery now releases either a
-- copy request's disclosure copy or one sending of an issued document, exactly one of them.
ALTER TABLE "deliveries" ALTER COLUMN "request_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ALTER COLUMN "copy_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "document_sending_id" uuid;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_document_sending_id_document_sendings_id_fk" FOREIGN KEY ("document_sending_id") REFERENCES "public"."document_sendings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_source_check" CHECK (("request_id" is not null and "copy_id" is not null and "document_sending_id" is null) or ("request_id" is null and "copy_id" is null and "document_sending_id" is not null));--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_document_sending_key" ON "deliveries" USING btree ("document_sending_id") WHERE "document_sending_id" is not null;--> statement-breakpoint
-- A sending by secure link: how and when the address was confirmed as the recipient's and secure (A-5). The
-- address itself is kept only with the delivery (personal data: never in a URL, a log or the audit trail).
ALTER TABLE "document_sendings" ADD COLUMN "address_confirmed_how" text;--> statement-breakpoint
ALTER TABLE "document_sendings" ADD COLUMN "address_confirmed_on" date;--> statement-breakpoint
ALTER TABLE "document_sendings" DROP CONSTRAINT "document_sendings_method_check";--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_method_check" CHECK ("method" in ('post', 'email-link', 'secure-link'));--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_confirmed_check" CHECK (("method" = 'secure-link') = ("address_confirmed_how" is not null and "address_confirmed_on" is not null) and ("address_confirmed_how" is null) = ("address_confirmed_on" is null));--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_confirmed_how_check" CHECK ("address_confirmed_how" is null or "address_confirmed_how" in ('in-person', 'phone', 'in-writing'));--> statement-breakpoint
ALTER TABLE "document_sendings" ADD CONSTRAINT "document_sendings_secure_link_check" CHECK ("method" <> 'secure-link' or ("outbox_message_id" is not null and "recipient_user_id" is null));
