CREATE TYPE "public"."alert_channel_kind" AS ENUM('wecom', 'dingtalk', 'feishu', 'email', 'webhook');--> statement-breakpoint
CREATE TYPE "public"."alert_send_kind" AS ENUM('opened', 'reminder', 'resolved', 'test');--> statement-breakpoint
CREATE TYPE "public"."alert_send_state" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "alert_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"entity" text NOT NULL,
	"entity_key" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_channels" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" "alert_channel_kind" NOT NULL,
	"name" text NOT NULL,
	"source" text DEFAULT 'admin' NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"rules" text[] NOT NULL,
	"secret_config" text,
	"summary" jsonb NOT NULL,
	"rate_per_minute" integer DEFAULT 20 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "alert_conditions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"rule" text NOT NULL,
	"subject" text NOT NULL,
	"problem_id" bigint,
	"details" jsonb NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_reminded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_silently" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alert_rules" (
	"rule" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"params" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "alert_sends" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel_id" bigint NOT NULL,
	"condition_id" bigint,
	"kind" "alert_send_kind" NOT NULL,
	"state" "alert_send_state" DEFAULT 'pending' NOT NULL,
	"title" text NOT NULL,
	"message" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_error" text,
	"last_status" integer,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "alert_sends" ADD CONSTRAINT "alert_sends_channel_id_alert_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."alert_channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_sends" ADD CONSTRAINT "alert_sends_condition_id_alert_conditions_id_fk" FOREIGN KEY ("condition_id") REFERENCES "public"."alert_conditions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_audit_by_created" ON "alert_audit" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alert_channels_env_kind" ON "alert_channels" USING btree ("kind") WHERE "alert_channels"."source" = 'env';--> statement-breakpoint
CREATE UNIQUE INDEX "alert_conditions_one_open" ON "alert_conditions" USING btree ("rule","subject") WHERE "alert_conditions"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "alert_conditions_by_opened" ON "alert_conditions" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "alert_sends_pending_due" ON "alert_sends" USING btree ("next_attempt_at","id") WHERE "alert_sends"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "alert_sends_by_channel_attempt" ON "alert_sends" USING btree ("channel_id","last_attempt_at");--> statement-breakpoint
CREATE INDEX "alert_sends_by_created" ON "alert_sends" USING btree ("created_at");