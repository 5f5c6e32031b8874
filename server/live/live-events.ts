import { getHubDatabase, type HubDatabase } from "@/db/client";
import { log as rootLog } from "@/server/log";
import { liveTopics, type LiveTopic } from "@/lib/states";

const log = rootLog.child({ component: "live" });

/**
 * NOTIFY channel the database triggers of migration 0019 send on, payload one
 * of `liveTopics` (the table that changed), at commit and once per transaction.
 */
export const LIVE_CHANNEL = "hub_live";

/** What changed, as the dashboard's live updates name it: one per table the triggers watch. */

/** Changes are gathered this long before subscribers hear of them: a burst of calls is one refresh, not hundreds. */
export const LIVE_BATCH_MS = 1000;

type Listener = (topics: LiveTopic[]) => void;

/**
 * One LISTEN per process fanned out to every subscriber (each open dashboard
 * tab's SSE stream), so browsers cost no database connection of their own.
 * Topics are batched for `batchMs` (ms); each subscriber gets the distinct
 * topics of the batch. Works on PostgreSQL and on PGlite, whose `listen`
 * hears the NOTIFYs of its own process's transactions.
 */
export class LiveEvents {
  private readonly listeners = new Set<Listener>();
  private pending = new Set<LiveTopic>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listening: Promise<() => Promise<void>> | undefined;

  constructor(
    private readonly openDatabase: () => Promise<Pick<HubDatabase, "listen">>,
    private readonly batchMs = LIVE_BATCH_MS,
  ) {}

  /**
   * Calls `listener` with each batch of topics until the returned function is
   * called. Starts the process's LISTEN on the first subscriber.
   * @throws when LISTEN cannot be started (database away); nothing is left subscribed.
   */
  async subscribe(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    try {
      await this.startListening();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Hands a topic to the next batch (the NOTIFY handler; tests call it directly). */
  publish(payload: string) {
    if (!(liveTopics as readonly string[]).includes(payload)) return;
    this.pending.add(payload as LiveTopic);
    this.timer ??= setTimeout(() => this.flush(), this.batchMs);
  }

  /** Stops listening; subscribers hear nothing more. */
  async close() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const listening = this.listening;
    this.listening = undefined;
    if (listening) await (await listening)().catch(() => {});
  }

  private startListening() {
    this.listening ??= this.openDatabase()
      .then((hub) => hub.listen(LIVE_CHANNEL, (payload) => this.publish(payload)))
      .catch((error: unknown) => {
        this.listening = undefined;
        log.warn({ err: error }, "LISTEN for live updates failed; the next subscriber tries again");
        throw error;
      });
    return this.listening;
  }

  private flush() {
    this.timer = undefined;
    const topics = [...this.pending];
    this.pending = new Set();
    for (const listener of this.listeners) listener(topics);
  }
}

// Next.js may load this module once per route bundle; the process needs one LISTEN.
const holder = globalThis as unknown as { hubLiveEvents?: LiveEvents };

/** The process's live events, on the process's database (db/client getHubDatabase). */
export const getLiveEvents = () => (holder.hubLiveEvents ??= new LiveEvents(getHubDatabase));

/**
 * One subscriber's batches of topics as an async iterable (what a tRPC
 * subscription yields), until `signal` aborts (the browser went away).
 * Batches that piled up while the subscriber was slow are merged into one.
 */
export async function* streamLiveTopics(events: LiveEvents, signal?: AbortSignal): AsyncGenerator<LiveTopic[]> {
  const queue: LiveTopic[][] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = await events.subscribe((topics) => {
    queue.push(topics);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const merged = new Set(queue.splice(0).flat());
      if (merged.size > 0) yield [...merged];
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
  }
}
