-- A short label a chair may give a recording, added to the name derived from the conference's type,
-- date and part (so a referral can tell recordings apart). It describes the recording; it is not
-- part of the original, so the R-3 trigger (which guards the original's facts) lets it change.
ALTER TABLE "recordings" ADD COLUMN "label" text;
--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_label_length" CHECK ("label" IS NULL OR char_length("label") BETWEEN 1 AND 80);
