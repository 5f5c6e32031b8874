-- The exchange log and the attempt history become partitioned by month (SPEC §9: kept
-- LOG_RETENTION_DAYS by dropping whole partitions). Hand-written: drizzle-kit cannot express
-- PARTITION BY; its snapshot only records what it can see, the composite keys (id, received_at)
-- and (id, started_at) that partitioning requires (a partitioned table's keys hold its partition key).
--
-- Converts a live database in the migration's one transaction, without losing a row:
-- rename the old table -> create the partitioned one LIKE it (so columns added since, by any
-- migration, come along in the same order) -> a partition for every month from the oldest row to
-- two months ahead, plus a DEFAULT partition so an insert never fails for a missing month -> copy
-- -> the keys, indexes and foreign keys, under their old names -> drop the old table.
-- Month bounds are UTC midnights; names are <table>_YYYY_MM, as server/maintenance/log-partitions.ts
-- makes them when it creates months ahead and drops expired ones.
ALTER TABLE "exchanges" RENAME TO "exchanges_unpartitioned";--> statement-breakpoint
ALTER TABLE "exchanges_unpartitioned" DROP CONSTRAINT "exchanges_pkey";--> statement-breakpoint
ALTER TABLE "exchanges_unpartitioned" DROP CONSTRAINT "exchanges_notice_id_notices_id_fk";--> statement-breakpoint
DROP INDEX "exchanges_by_received";--> statement-breakpoint
DROP INDEX "exchanges_by_notice";--> statement-breakpoint
DROP INDEX "exchanges_by_dispatch_no";--> statement-breakpoint
DROP INDEX "exchanges_by_path_received";--> statement-breakpoint
CREATE TABLE "exchanges" (LIKE "exchanges_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("received_at");--> statement-breakpoint
ALTER TABLE "delivery_attempts" RENAME TO "delivery_attempts_unpartitioned";--> statement-breakpoint
ALTER TABLE "delivery_attempts_unpartitioned" DROP CONSTRAINT "delivery_attempts_pkey";--> statement-breakpoint
ALTER TABLE "delivery_attempts_unpartitioned" DROP CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk";--> statement-breakpoint
DROP INDEX "delivery_attempts_by_delivery";--> statement-breakpoint
DROP INDEX "delivery_attempts_by_started";--> statement-breakpoint
-- The id sequence outlives the old table (dropping it would drop an owned sequence) and keeps counting.
ALTER SEQUENCE "delivery_attempts_id_seq" OWNED BY NONE;--> statement-breakpoint
CREATE TABLE "delivery_attempts" (LIKE "delivery_attempts_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("started_at");--> statement-breakpoint
ALTER SEQUENCE "delivery_attempts_id_seq" OWNED BY "delivery_attempts"."id";--> statement-breakpoint
DO $$
DECLARE
  log record;
  month timestamptz;
  last_month timestamptz := date_trunc('month', now(), 'UTC') + interval '2 months';
BEGIN
  FOR log IN SELECT * FROM (VALUES ('exchanges', 'received_at'), ('delivery_attempts', 'started_at')) AS t(parent, time_column) LOOP
    EXECUTE format('SELECT date_trunc(''month'', min(%I), ''UTC'') FROM %I', log.time_column, log.parent || '_unpartitioned') INTO month;
    month := least(coalesce(month, date_trunc('month', now(), 'UTC')), date_trunc('month', now(), 'UTC'));
    WHILE month <= last_month LOOP
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        log.parent || '_' || to_char(month AT TIME ZONE 'UTC', 'YYYY_MM'),
        log.parent,
        to_char(month AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        to_char((month AT TIME ZONE 'UTC') + interval '1 month', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
      );
      month := ((month AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    END LOOP;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', log.parent || '_default', log.parent);
  END LOOP;
END
$$;--> statement-breakpoint
INSERT INTO "exchanges" SELECT * FROM "exchanges_unpartitioned";--> statement-breakpoint
INSERT INTO "delivery_attempts" SELECT * FROM "delivery_attempts_unpartitioned";--> statement-breakpoint
DROP TABLE "exchanges_unpartitioned";--> statement-breakpoint
DROP TABLE "delivery_attempts_unpartitioned";--> statement-breakpoint
ALTER TABLE "exchanges" ADD CONSTRAINT "exchanges_pkey" PRIMARY KEY("id","received_at");--> statement-breakpoint
ALTER TABLE "exchanges" ADD CONSTRAINT "exchanges_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exchanges_by_received" ON "exchanges" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "exchanges_by_notice" ON "exchanges" USING btree ("notice_id","received_at");--> statement-breakpoint
CREATE INDEX "exchanges_by_dispatch_no" ON "exchanges" USING btree ("dispatch_no");--> statement-breakpoint
CREATE INDEX "exchanges_by_path_received" ON "exchanges" USING btree ("path","received_at");--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY("id","started_at");--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delivery_attempts_by_delivery" ON "delivery_attempts" USING btree ("delivery_id","attempt_no");--> statement-breakpoint
CREATE INDEX "delivery_attempts_by_started" ON "delivery_attempts" USING btree ("started_at");
