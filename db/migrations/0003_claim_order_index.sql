DROP INDEX "deliveries_pending_due";--> statement-breakpoint
CREATE INDEX "deliveries_pending_due" ON "deliveries" USING btree ("next_attempt_at","id") WHERE "deliveries"."state" = 'pending';