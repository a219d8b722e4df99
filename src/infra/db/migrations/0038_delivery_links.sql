-- The secure delivery of copies (A-6), made ready for production.
--
-- 1. One-time codes are stored as HMAC-SHA-256 digests keyed with a secret kept outside the database
--    (DELIVERY_CODE_KEY_FILE), written "hmac-sha256:<hex>". A code still open from before is a plain SHA-256 digest of
--    the delivery's id and six digits, which anyone holding a copy of the database could reverse; it lives at most 10
--    minutes, so it is voided now and the requester asks for a new code (the service refuses the old format anyway).
UPDATE "delivery_codes" SET "voided_at" = now()
  WHERE "used_at" IS NULL AND "voided_at" IS NULL AND "code_hash" NOT LIKE 'hmac-sha256:%';--> statement-breakpoint
-- 2. A download is counted once the file has been written out in full. Its start and an interruption are events
--    too: a download under way holds its place against the limit, an interrupted one gives it back.
ALTER TABLE "delivery_events" DROP CONSTRAINT "delivery_events_kind_check";--> statement-breakpoint
ALTER TABLE "delivery_events" ADD CONSTRAINT "delivery_events_kind_check" CHECK (kind in ('created', 'viewed', 'code-sent', 'code-refused', 'code-wrong', 'code-locked', 'code-expired', 'code-accepted', 'download-started', 'downloaded', 'download-interrupted', 'download-refused', 'expired-hit', 'revoked-hit', 'used-up-hit', 'revoked'));--> statement-breakpoint
-- 3. A request's delivery refers to the disclosure copy it releases. The service has only ever made deliveries for a
--    copy it had just read, and copies are never deleted, so no row should lack its copy. Should one (a hand-edited or
--    restored database), it is not deleted (its events are the audit of what was released) nor pointed at another
--    copy: a link still live is cancelled with a reason staff see, as an event, and the key is added NOT VALID, so
--    every new or changed copy_id is checked while the old row is kept; the key is validated whenever no such row
--    exists, which is every database the service made (a warning names the count otherwise).
INSERT INTO "delivery_events" ("delivery_id", "kind", "at", "details")
  SELECT d."id", 'revoked', now(), '{"reason": "copy-missing"}'::jsonb FROM "deliveries" d
  WHERE d."copy_id" IS NOT NULL AND d."revoked_at" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "disclosure_copies" c WHERE c."id" = d."copy_id");--> statement-breakpoint
UPDATE "deliveries" d SET "revoked_at" = now(), "revoked_by" = d."created_by",
    "revoke_reason" = 'Cancelled when the service was upgraded: the copy this link released is not in the database'
  WHERE d."copy_id" IS NOT NULL AND d."revoked_at" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "disclosure_copies" c WHERE c."id" = d."copy_id");--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_copy_id_disclosure_copies_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."disclosure_copies"("id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint
DO $$
DECLARE orphans integer;
BEGIN
  SELECT count(*) INTO orphans FROM "deliveries" d
    WHERE d."copy_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "disclosure_copies" c WHERE c."id" = d."copy_id");
  IF orphans = 0 THEN
    ALTER TABLE "deliveries" VALIDATE CONSTRAINT "deliveries_copy_id_disclosure_copies_id_fk";
  ELSE
    RAISE WARNING '% deliveries name a disclosure copy that is not in the database: their links are cancelled and the key checks new rows only', orphans;
  END IF;
END $$;--> statement-breakpoint
CREATE INDEX "deliveries_copy_idx" ON "deliveries" USING btree ("copy_id");
--> statement-breakpoint
-- 4. The one-time code that signs an undertaking to keep a recording private (P-1) is keyed the same way. A code
--    still open from before was a plain SHA-256 of six digits: it is voided (the requester asks for a new code).
UPDATE "recording_permission_links" SET "code_attempts" = 5
  WHERE "code_hash" IS NOT NULL AND "code_used_at" IS NULL;--> statement-breakpoint
ALTER TABLE "recording_permission_links" DROP CONSTRAINT "rec_perm_links_hash_check";--> statement-breakpoint
ALTER TABLE "recording_permission_links" ADD CONSTRAINT "rec_perm_links_hash_check" CHECK ("token_hash" ~ '^[0-9a-f]{64}$' and ("code_hash" is null or "code_hash" ~ '^(hmac-sha256:)?[0-9a-f]{64}$'));
