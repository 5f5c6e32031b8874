-- Live updates for the dashboard (issue 12): a change to notices, deliveries,
-- problems, the exchange log or the alert sends NOTIFYs hub_live with the table's name
-- (LIVE_CHANNEL and liveTopics in server/live/live-events.ts). One listener
-- per hub process fans it out to the open dashboard tabs over SSE. Sent at
-- commit, once per statement and deduplicated per transaction: a partner
-- call's transaction already NOTIFYs hub_deliveries (0005), so this adds no
-- round trip. Only statements that changed rows notify (the transition table
-- is not empty): the worker's claims and sweeps that match nothing stay quiet.
-- A trigger with a transition table takes one event, hence two per table.
CREATE FUNCTION notify_live_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed_rows) THEN
    PERFORM pg_notify('hub_live', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER notices_live_insert AFTER INSERT ON notices REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER notices_live_update AFTER UPDATE ON notices REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER deliveries_live_insert AFTER INSERT ON deliveries REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER deliveries_live_update AFTER UPDATE ON deliveries REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER problems_live_insert AFTER INSERT ON problems REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER problems_live_update AFTER UPDATE ON problems REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER exchanges_live_insert AFTER INSERT ON exchanges REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER alert_sends_live_insert AFTER INSERT ON alert_sends REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();--> statement-breakpoint
CREATE TRIGGER alert_sends_live_update AFTER UPDATE ON alert_sends REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_live_change();
