import type { SqlExecutor } from '../db/client.ts';

/**
 * For tests only, until the migration for src/infra/db/mail-schema.ts is generated: creates the two
 * mail tables exactly as drizzle-kit generates them from that file (checked by
 * `drizzle-kit generate` into a scratch folder), with IF NOT EXISTS so it is harmless once the real
 * migration has run. Delete it, and its calls, when the migration lands.
 */
export const MAIL_TABLES_SQL = [
  `CREATE TABLE IF NOT EXISTS "message_templates" (
	"key" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "message_templates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action
)`,
  `CREATE TABLE IF NOT EXISTS "outbox_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_key" text NOT NULL,
	"template_version" integer NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"transport" text,
	"provider_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "outbox_messages_state_check" CHECK ("outbox_messages"."state" in ('queued', 'sending', 'sent', 'kept', 'failed', 'rejected')),
	CONSTRAINT "outbox_messages_attempts_check" CHECK ("outbox_messages"."attempts" >= 0)
)`,
  `CREATE INDEX IF NOT EXISTS "outbox_messages_created_idx" ON "outbox_messages" USING btree ("created_at")`,
  `CREATE INDEX IF NOT EXISTS "outbox_messages_state_idx" ON "outbox_messages" USING btree ("state","created_at")`,
  `CREATE INDEX IF NOT EXISTS "outbox_messages_subject_idx" ON "outbox_messages" USING btree ("subject_type","subject_id")`,
];

export async function ensureMailTables(db: { execute: SqlExecutor }): Promise<void> {
  for (const statement of MAIL_TABLES_SQL) await db.execute(statement);
}
