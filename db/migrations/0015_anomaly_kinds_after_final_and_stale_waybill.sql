ALTER TYPE "public"."anomaly_kind" ADD VALUE 'goods_after_final';--> statement-breakpoint
ALTER TYPE "public"."anomaly_kind" ADD VALUE 'stale_waybill_change';