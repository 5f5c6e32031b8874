CREATE TYPE "public"."attempt_outcome" AS ENUM('delivered', 'rejected', 'failed');--> statement-breakpoint
CREATE TYPE "public"."delivery_action_kind" AS ENUM('retry_now', 'edit_and_resend', 'resolve', 'cancel', 'auto_cancel');--> statement-breakpoint
CREATE TYPE "public"."delivery_state" AS ENUM('pending', 'delivered', 'rejected', 'timed_out', 'resolved', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."exchange_outcome" AS ENUM('accepted', 'rejected', 'invalid', 'unauthorized', 'duplicate');--> statement-breakpoint
CREATE TYPE "public"."partner_side" AS ENUM('pos', 'oms');--> statement-breakpoint
CREATE TYPE "public"."anomaly_kind" AS ENUM('over_shipped', 'duplicate_serial', 'sku_not_ordered', 'sla_breach', 'short_shipped', 'unmatched_return', 'unmatched_waybill');--> statement-breakpoint
CREATE TYPE "public"."notice_kind" AS ENUM('store_order', 'ship_from_store');--> statement-breakpoint
CREATE TYPE "public"."notice_status" AS ENUM('pending', 'partially_shipped', 'shipped', 'oversold', 'voided', 'refused');--> statement-breakpoint
CREATE TABLE "partner_tokens" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"side" "partner_side" NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"exchange_id" uuid NOT NULL,
	"notice_id" bigint,
	"order_key" text,
	"target" "partner_side" NOT NULL,
	"path" text NOT NULL,
	"payload" text NOT NULL,
	"state" "delivery_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"payload_version" integer DEFAULT 1 NOT NULL,
	"last_status" integer,
	"last_error" text,
	"answer_msg" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "deliveries_delivery_id_key" UNIQUE("delivery_id")
);
--> statement-breakpoint
CREATE TABLE "delivery_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint NOT NULL,
	"action" "delivery_action_kind" NOT NULL,
	"actor" text NOT NULL,
	"note" text,
	"state_before" "delivery_state" NOT NULL,
	"state_after" "delivery_state" NOT NULL,
	"payload_before" text,
	"payload_after" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint NOT NULL,
	"attempt_no" integer NOT NULL,
	"payload_version" integer NOT NULL,
	"url" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"duration_ms" integer NOT NULL,
	"http_status" integer,
	"response_body" text,
	"error" text,
	"outcome" "attempt_outcome" NOT NULL,
	"worker" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchanges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"side" "partner_side" NOT NULL,
	"path" text NOT NULL,
	"headers" jsonb NOT NULL,
	"request_body" text NOT NULL,
	"request_truncated" boolean DEFAULT false NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"duration_ms" integer NOT NULL,
	"outcome" "exchange_outcome" NOT NULL,
	"dispatch_no" text,
	"notice_id" bigint,
	"token_label" text
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"exchange_id" uuid NOT NULL,
	"response_status" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "anomalies" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" bigint,
	"exchange_id" uuid NOT NULL,
	"kind" "anomaly_kind" NOT NULL,
	"detail" text NOT NULL,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text
);
--> statement-breakpoint
CREATE TABLE "notice_items" (
	"notice_id" bigint NOT NULL,
	"product" text NOT NULL,
	"color" text NOT NULL,
	"size" text NOT NULL,
	"qty_ordered" integer NOT NULL,
	CONSTRAINT "notice_items_pkey" PRIMARY KEY("notice_id","product","color","size")
);
--> statement-breakpoint
CREATE TABLE "notice_returns" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" bigint,
	"exchange_id" uuid NOT NULL,
	"transfer_code" text,
	"receiver_code" text,
	"receiver_name" text,
	"shop_code" text,
	"express" text,
	"waybill_code" text,
	"product" text,
	"color" text,
	"size" text,
	"sn" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dispatch_no" text NOT NULL,
	"kind" "notice_kind" NOT NULL,
	"status" "notice_status" DEFAULT 'pending' NOT NULL,
	"shop_code" text NOT NULL,
	"purchase_code" text,
	"member_code" text,
	"receiver" text,
	"phone" text,
	"phone_tail" text,
	"province" text,
	"city" text,
	"county" text,
	"address" text,
	"preferred_express" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"shipped_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"refused_at" timestamp with time zone,
	"refuse_reason" text,
	"over24h_reason" text,
	"created_by_exchange_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "packages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" bigint NOT NULL,
	"transfer_id" bigint,
	"express" text,
	"waybill_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pieces" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" bigint NOT NULL,
	"package_id" bigint NOT NULL,
	"product" text,
	"color" text,
	"size" text,
	"sn" text
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" bigint NOT NULL,
	"transfer_code" text NOT NULL,
	"ship_code" text,
	"ship_name" text,
	"express" text,
	"waybill_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "waybill_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"notice_id" bigint,
	"package_id" bigint,
	"exchange_id" uuid NOT NULL,
	"old_waybill_code" text NOT NULL,
	"new_express" text,
	"new_waybill_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_actions" ADD CONSTRAINT "delivery_actions_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exchanges" ADD CONSTRAINT "exchanges_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anomalies" ADD CONSTRAINT "anomalies_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_items" ADD CONSTRAINT "notice_items_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notice_returns" ADD CONSTRAINT "notice_returns_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pieces" ADD CONSTRAINT "pieces_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pieces" ADD CONSTRAINT "pieces_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waybill_changes" ADD CONSTRAINT "waybill_changes_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waybill_changes" ADD CONSTRAINT "waybill_changes_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_tokens_by_hash" ON "partner_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "deliveries_pending_due" ON "deliveries" USING btree ("next_attempt_at") WHERE "deliveries"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "deliveries_by_order_key" ON "deliveries" USING btree ("order_key","id");--> statement-breakpoint
CREATE INDEX "deliveries_by_notice" ON "deliveries" USING btree ("notice_id","id");--> statement-breakpoint
CREATE INDEX "deliveries_by_state_created" ON "deliveries" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "delivery_actions_by_delivery" ON "delivery_actions" USING btree ("delivery_id","created_at");--> statement-breakpoint
CREATE INDEX "delivery_actions_by_created" ON "delivery_actions" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "delivery_attempts_by_delivery" ON "delivery_attempts" USING btree ("delivery_id","attempt_no");--> statement-breakpoint
CREATE INDEX "delivery_attempts_by_started" ON "delivery_attempts" USING btree ("started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "exchanges_by_received" ON "exchanges" USING btree ("received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "exchanges_by_notice" ON "exchanges" USING btree ("notice_id","received_at");--> statement-breakpoint
CREATE INDEX "exchanges_by_dispatch_no" ON "exchanges" USING btree ("dispatch_no");--> statement-breakpoint
CREATE INDEX "exchanges_by_path_received" ON "exchanges" USING btree ("path","received_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "anomalies_by_notice" ON "anomalies" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "anomalies_open_by_created" ON "anomalies" USING btree ("created_at" DESC NULLS LAST) WHERE "anomalies"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "notice_returns_by_notice" ON "notice_returns" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "notice_returns_by_sn" ON "notice_returns" USING btree ("sn");--> statement-breakpoint
CREATE INDEX "notice_returns_by_waybill_code" ON "notice_returns" USING btree ("waybill_code");--> statement-breakpoint
CREATE UNIQUE INDEX "notices_dispatch_no_key" ON "notices" USING btree ("dispatch_no");--> statement-breakpoint
CREATE INDEX "notices_by_purchase_code" ON "notices" USING btree ("purchase_code");--> statement-breakpoint
CREATE INDEX "notices_by_member_code" ON "notices" USING btree ("member_code");--> statement-breakpoint
CREATE INDEX "notices_by_receiver" ON "notices" USING btree ("receiver");--> statement-breakpoint
CREATE INDEX "notices_by_phone" ON "notices" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "notices_by_phone_tail" ON "notices" USING btree ("phone_tail");--> statement-breakpoint
CREATE INDEX "notices_by_shop_created" ON "notices" USING btree ("shop_code","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notices_by_created" ON "notices" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notices_by_status_created" ON "notices" USING btree ("status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "packages_by_waybill_code" ON "packages" USING btree ("waybill_code");--> statement-breakpoint
CREATE INDEX "packages_by_notice" ON "packages" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "pieces_by_sn" ON "pieces" USING btree ("sn") WHERE "pieces"."sn" is not null;--> statement-breakpoint
CREATE INDEX "pieces_by_notice" ON "pieces" USING btree ("notice_id");--> statement-breakpoint
CREATE INDEX "pieces_by_package" ON "pieces" USING btree ("package_id");--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_notice_transfer_code_key" ON "transfers" USING btree ("notice_id","transfer_code");--> statement-breakpoint
CREATE INDEX "transfers_by_transfer_code" ON "transfers" USING btree ("transfer_code");--> statement-breakpoint
CREATE INDEX "waybill_changes_by_old_waybill_code" ON "waybill_changes" USING btree ("old_waybill_code");--> statement-breakpoint
CREATE INDEX "waybill_changes_by_new_waybill_code" ON "waybill_changes" USING btree ("new_waybill_code");--> statement-breakpoint
CREATE INDEX "waybill_changes_by_notice" ON "waybill_changes" USING btree ("notice_id");