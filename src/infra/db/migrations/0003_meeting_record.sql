ALTER TABLE "chair_summaries" ADD COLUMN "change_reason" text;--> statement-breakpoint
ALTER TABLE "child_plans" ADD COLUMN "change_reason" text;--> statement-breakpoint
ALTER TABLE "conferences" ADD COLUMN "actual_start_time" text;--> statement-breakpoint
ALTER TABLE "conferences" ADD COLUMN "actual_end_time" text;--> statement-breakpoint
ALTER TABLE "conferences" ADD COLUMN "reminder_given_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conferences" ADD COLUMN "reconvene_date" date;