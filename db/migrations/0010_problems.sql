CREATE TYPE "public"."problem_state" AS ENUM('open', 'acknowledged', 'resolved', 'muted');--> statement-breakpoint
CREATE TABLE "problems" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"side" "partner_side" NOT NULL,
	"path" text NOT NULL,
	"failure_kind" text NOT NULL,
	"msg" text DEFAULT '' NOT NULL,
	"state" "problem_state" DEFAULT 'open' NOT NULL,
	"open_count" integer DEFAULT 0 NOT NULL,
	"total_count" integer DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"example_delivery_id" bigint,
	"example_error" text,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "problems_key" UNIQUE("side","path","failure_kind","msg")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "problem_id" bigint;--> statement-breakpoint
CREATE INDEX "problems_by_state_last_seen" ON "problems" USING btree ("state","last_seen_at");--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_by_problem" ON "deliveries" USING btree ("problem_id","id") WHERE "deliveries"."problem_id" is not null;