-- The exchange log's dispatchNO filter finds a refused call by its claimed dispatchNO typed in any case or
-- width (SPEC §6): refused calls reach no notice to be found through, and partners send codes in mixed case.
-- The index is partial as before, so only refused calls pay for it.
DROP INDEX "exchanges_by_claimed_dispatch_no";--> statement-breakpoint
CREATE INDEX "exchanges_folded_claimed_dispatch_no" ON "exchanges" USING btree (upper(normalize("claimed_dispatch_no", NFKC))) WHERE "exchanges"."claimed_dispatch_no" is not null;