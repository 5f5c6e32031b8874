-- Plain ascending indexes: Postgres walks a btree both ways, so `order by x desc` (nulls first)
-- and `asc` both use them. The `desc nulls last` ones drizzle made for `.desc()` served neither.
DROP INDEX "delivery_actions_by_created";--> statement-breakpoint
DROP INDEX "delivery_attempts_by_started";--> statement-breakpoint
DROP INDEX "exchanges_by_received";--> statement-breakpoint
DROP INDEX "exchanges_by_path_received";--> statement-breakpoint
DROP INDEX "anomalies_open_by_created";--> statement-breakpoint
DROP INDEX "notices_by_receiver_created";--> statement-breakpoint
DROP INDEX "notices_by_shop_created";--> statement-breakpoint
DROP INDEX "notices_by_created";--> statement-breakpoint
DROP INDEX "notices_by_status_created";--> statement-breakpoint
CREATE INDEX "delivery_actions_by_created" ON "delivery_actions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "delivery_attempts_by_started" ON "delivery_attempts" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "exchanges_by_received" ON "exchanges" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "exchanges_by_path_received" ON "exchanges" USING btree ("path","received_at");--> statement-breakpoint
CREATE INDEX "anomalies_open_by_created" ON "anomalies" USING btree ("created_at") WHERE "anomalies"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "notices_by_receiver_created" ON "notices" USING btree ("receiver","created_at");--> statement-breakpoint
CREATE INDEX "notices_by_shop_created" ON "notices" USING btree ("shop_code","created_at");--> statement-breakpoint
CREATE INDEX "notices_by_created" ON "notices" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "notices_by_status_created" ON "notices" USING btree ("status","created_at");