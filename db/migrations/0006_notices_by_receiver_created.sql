DROP INDEX "notices_by_receiver";--> statement-breakpoint
CREATE INDEX "notices_by_receiver_created" ON "notices" USING btree ("receiver","created_at" DESC NULLS LAST);