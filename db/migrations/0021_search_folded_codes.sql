CREATE INDEX "notice_returns_folded_sn" ON "notice_returns" USING btree (upper(normalize("sn", NFKC)));--> statement-breakpoint
CREATE INDEX "notice_returns_folded_waybill_code" ON "notice_returns" USING btree (upper(normalize("waybill_code", NFKC)));--> statement-breakpoint
CREATE INDEX "notices_folded_dispatch_no" ON "notices" USING btree (upper(normalize("dispatch_no", NFKC)));--> statement-breakpoint
CREATE INDEX "notices_folded_purchase_code" ON "notices" USING btree (upper(normalize("purchase_code", NFKC)));--> statement-breakpoint
CREATE INDEX "notices_folded_member_code" ON "notices" USING btree (upper(normalize("member_code", NFKC)));--> statement-breakpoint
CREATE INDEX "packages_folded_waybill_code" ON "packages" USING btree (upper(normalize("waybill_code", NFKC)));--> statement-breakpoint
CREATE INDEX "pieces_folded_sn" ON "pieces" USING btree (upper(normalize("sn", NFKC)));--> statement-breakpoint
CREATE INDEX "transfers_folded_transfer_code" ON "transfers" USING btree (upper(normalize("transfer_code", NFKC)));--> statement-breakpoint
CREATE INDEX "waybill_changes_folded_old_waybill_code" ON "waybill_changes" USING btree (upper(normalize("old_waybill_code", NFKC)));--> statement-breakpoint
CREATE INDEX "waybill_changes_folded_new_waybill_code" ON "waybill_changes" USING btree (upper(normalize("new_waybill_code", NFKC)));