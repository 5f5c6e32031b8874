ALTER TABLE "notices" ADD COLUMN "phone_digits" text GENERATED ALWAYS AS (regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^(0086|86)(1[0-9]{10})$', '\2')) STORED;--> statement-breakpoint
CREATE INDEX "notices_by_phone_digits" ON "notices" USING btree ("phone_digits");--> statement-breakpoint
CREATE INDEX "notices_by_receiver_prefix" ON "notices" USING btree ("receiver" text_pattern_ops);