-- A-6: a requester's download link and one-time code are kept in the outbox only masked; the usable
-- text is held apart until the message is handed to SMTP or Notify, then removed.
ALTER TABLE "outbox_messages" ADD COLUMN "secrets_masked" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "sealed_subject" text;
--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "sealed_body" text;
--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_sealed_check" CHECK (("sealed_subject" IS NULL) = ("sealed_body" IS NULL));
--> statement-breakpoint
-- Messages written before: links and codes already handed over or kept are masked now. Those still
-- waiting to be sent keep their usable text apart until they are.
UPDATE "outbox_messages" SET "sealed_subject" = "subject", "sealed_body" = "body"
  WHERE "template_key" IN ('copy-ready', 'one-time-code') AND "state" IN ('queued', 'sending', 'failed') AND "transport" IS DISTINCT FROM 'outbox';
--> statement-breakpoint
UPDATE "outbox_messages" SET "secrets_masked" = true,
  "body" = regexp_replace("body", '(https?://[^[:space:]]*/)[A-Za-z0-9_-]+', '\1••••••••', 'g')
  WHERE "template_key" = 'copy-ready';
--> statement-breakpoint
UPDATE "outbox_messages" SET "secrets_masked" = true,
  "subject" = regexp_replace("subject", '[0-9]{6}', '••••••••', 'g'),
  "body" = regexp_replace("body", '(^|[^0-9])[0-9]{6}([^0-9]|$)', '\1••••••••\2', 'g')
  WHERE "template_key" = 'one-time-code';
