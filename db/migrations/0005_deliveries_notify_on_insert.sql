-- Wakes the delivery workers (LISTEN hub_deliveries, DELIVERY_CHANNEL in
-- server/delivery/enqueue-delivery.ts) whenever deliveries are queued. NOTIFY
-- is sent at commit, so a worker never wakes for a row it cannot see yet; once
-- per statement and deduplicated per transaction, it costs the accepting call
-- no statement of its own.
CREATE FUNCTION notify_deliveries_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('hub_deliveries', '');
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER deliveries_queued AFTER INSERT ON deliveries FOR EACH STATEMENT EXECUTE FUNCTION notify_deliveries_queued();
