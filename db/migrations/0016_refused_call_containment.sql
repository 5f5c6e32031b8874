CREATE TABLE "refused_call_tallies" (
	"client_address" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"calls" integer NOT NULL,
	"last_path" text NOT NULL,
	"last_status" integer NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	CONSTRAINT "refused_call_tallies_client_address_minute_pk" PRIMARY KEY("client_address","minute")
);
--> statement-breakpoint
ALTER TABLE "exchanges" ADD COLUMN "client_address" text;--> statement-breakpoint
ALTER TABLE "exchanges" ADD COLUMN "claimed_dispatch_no" text;--> statement-breakpoint
CREATE INDEX "refused_call_tallies_by_minute" ON "refused_call_tallies" USING btree ("minute");--> statement-breakpoint
CREATE INDEX "exchanges_by_claimed_dispatch_no" ON "exchanges" USING btree ("claimed_dispatch_no") WHERE "exchanges"."claimed_dispatch_no" is not null;