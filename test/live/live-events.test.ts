import { sql } from "drizzle-orm";
import { afterAll, expect, test, vi } from "vitest";
import { getHubDatabase } from "@/db/client";
import type { LiveTopic } from "@/lib/states";
import { LiveEvents, streamLiveTopics } from "@/server/live/live-events";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";

// The database tells the dashboard what changed (migration 0019 → LISTEN hub_live),
// on PostgreSQL (DATABASE_URL set) and on PGlite alike.

const database = useTestDatabase();
const events = new LiveEvents(getHubDatabase, 20);
afterAll(() => events.close());

function collect() {
  const batches: LiveTopic[][] = [];
  return { batches, seen: () => new Set(batches.flat()), listener: (topics: LiveTopic[]) => void batches.push(topics) };
}

test("a partner's call reaches subscribers as the tables it changed, one LISTEN for all of them", async () => {
  const first = collect();
  const second = collect();
  const stopFirst = await events.subscribe(first.listener);
  const stopSecond = await events.subscribe(second.listener);

  expect((await callPartner("/pos/ordermake", storeOrder())).body.success).toBe(true);
  await vi.waitFor(() => expect([...first.seen()].sort()).toEqual(["deliveries", "exchanges", "notices"]));
  await vi.waitFor(() => expect([...second.seen()].sort()).toEqual(["deliveries", "exchanges", "notices"]));
  // Batched: one call's topics arrive together, not one message per statement.
  expect(first.batches.length).toBeLessThanOrEqual(2);

  stopFirst();
  stopSecond();

  const quiet = collect();
  const stopQuiet = await events.subscribe(quiet.listener);
  await database.db.execute(sql`update problems set state = state where false`);
  await callPartner("/pos/ordermake", storeOrder());
  await vi.waitFor(() => expect(quiet.seen()).toContain("notices"));
  stopQuiet();
  // A statement that changed no row told nobody; those unsubscribed heard nothing more.
  expect(quiet.seen()).not.toContain("problems");
  expect(second.batches.flat().length).toBe(3);
});

test("the stream a browser reads merges what piled up and ends when the browser leaves", async () => {
  const abort = new AbortController();
  const stream = streamLiveTopics(events, abort.signal);
  const next = stream.next();
  events.publish("problems");
  events.publish("notices");
  events.publish("not-a-topic");
  expect((await next).value?.sort()).toEqual(["notices", "problems"]);
  const ended = stream.next();
  abort.abort();
  expect((await ended).done).toBe(true);
});
