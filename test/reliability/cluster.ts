import { setConfigForTests } from "@/server/config";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { asc, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { startFakeCounterpart, type FakeCounterpart, type ReceivedCall } from "@/test/fakes/fake-counterpart";
import { useTestDatabase } from "@/test/database";
import { callPartner, OMS_TOKEN, POS_TOKEN } from "@/test/partner-client";
import { onePiecePackage, storeOrder } from "@/test/partner/messages";

// What the reliability suite shares: a database, a fake POS and OMS recording
// every arrival in one order, hub processes to start and kill, and partner
// traffic that keeps coming while things break.

/** RELIABILITY_SOAK=1: the same stories, longer and harder. */
export const SOAK = process.env.RELIABILITY_SOAK === "1";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function useCluster() {
  const database = useTestDatabase();
  const cluster = { database, arrivals: [] as ReceivedCall[] } as {
    database: typeof database;
    pos: FakeCounterpart;
    oms: FakeCounterpart;
    /** Every call either fake received, oldest first. */
    arrivals: ReceivedCall[];
    children: Set<ChildProcess>;
  };
  cluster.children = new Set();

  beforeAll(async () => {
    const onCall = (call: ReceivedCall) => void cluster.arrivals.push(call);
    cluster.pos = await startFakeCounterpart({ name: "pos", onCall });
    cluster.oms = await startFakeCounterpart({ name: "oms", onCall });
    // The environment for the instances this file spawns, the config for this process's own worker.
    Object.assign(process.env, { POS_BASE_URL: cluster.pos.url, OMS_BASE_URL: cluster.oms.url });
    setConfigForTests({ POS_BASE_URL: cluster.pos.url, OMS_BASE_URL: cluster.oms.url });
  });
  afterEach(async () => {
    for (const child of cluster.children) child.kill("SIGKILL");
    cluster.children.clear();
    await database.db.delete(deliveries);
    await Promise.all([cluster.pos.reset(), cluster.oms.reset()]);
    cluster.arrivals.length = 0;
  });
  afterAll(async () => {
    await Promise.all([cluster.pos?.close(), cluster.oms?.close()]);
  });

  /** `node --import tsx <script>` (not the tsx binary, which forks: kill -9 must hit the process that works). */
  function spawnHub(script: string, env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      // Configuration is parsed once per process: a spawned hub gets the partners' tokens in its environment.
      env: { ...process.env, DATABASE_URL: database.url, DELIVERY_TIMEOUT_MS: "1000", HUB_POS_TOKEN: POS_TOKEN, HUB_OMS_TOKEN: OMS_TOKEN, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr.on("data", (chunk: Buffer) => process.stderr.write(`[${script} ${child.pid}] ${chunk.toString()}`));
    cluster.children.add(child);
    child.once("exit", () => cluster.children.delete(child));
    return child;
  }

  /** Waits for a line on the child's stdout matching the pattern; returns the match. */
  function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000) {
    return new Promise<RegExpExecArray>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      lines.on("line", (line) => {
        const match = pattern.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match);
        }
      });
    });
  }

  return Object.assign(cluster, { spawnHub, waitForLine });
}

export async function killHard(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

export async function undeliveredCount(db: Db) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(sql`${deliveries.state} <> 'delivered'`);
  return row!.n;
}

export async function waitUntilAllDelivered(db: Db, timeoutMs: number) {
  await expect.poll(() => undeliveredCount(db), { timeout: timeoutMs, interval: 250 }).toBe(0);
}

/**
 * The promises of SPEC §5, read from the fakes: every delivery arrived, a
 * repeat only ever carries the id (and body) of a real delivery, and every
 * arrival of a notice's delivery comes before any arrival of the next one.
 */
export async function expectDeliveredOnceInOrder(db: Db, arrivals: ReceivedCall[]) {
  const rows = await db.select().from(deliveries).orderBy(asc(deliveries.id));
  const byId = new Map(rows.map((row) => [row.deliveryId, row]));
  const positions = new Map<string, number[]>();
  arrivals.forEach((call, index) => {
    const row = call.deliveryId ? byId.get(call.deliveryId) : undefined;
    expect(row, `an arrival with unknown delivery id ${call.deliveryId}`).toBeDefined();
    expect(call.body).toBe(row!.payload);
    positions.set(call.deliveryId!, [...(positions.get(call.deliveryId!) ?? []), index]);
  });
  expect(rows.filter((row) => row.state !== "delivered" || !positions.has(row.deliveryId))).toEqual([]);

  const lastByNotice = new Map<string, { id: string; last: number }>();
  for (const row of rows) {
    if (!row.orderKey) continue;
    const seen = positions.get(row.deliveryId)!;
    const previous = lastByNotice.get(row.orderKey);
    if (previous) expect(Math.min(...seen), `${row.orderKey}: ${row.deliveryId} arrived before ${previous.id} was done`).toBeGreaterThan(previous.last);
    lastByNotice.set(row.orderKey, { id: row.deliveryId, last: Math.max(...seen) });
  }
  return { deliveries: rows.length, arrivals: arrivals.length, repeats: arrivals.length - positions.size };
}

export type CallRecord = { path: string; dispatchNO: string; statuses: number[] };

/** A store order and its first shipped package: two deliveries that must leave in this order. */
export function orderAndPackage() {
  const order = storeOrder();
  const shipped = onePiecePackage(order.dispatchNO);
  return [
    { path: "/pos/ordermake", body: order, dispatchNO: order.dispatchNO },
    { path: "/oms/delivery/package", body: shipped, dispatchNO: order.dispatchNO },
  ];
}

/**
 * Partner traffic at a steady rate: each tick starts a story whose calls go one
 * after another; a call answered anything but 200 is retried, as the seed asks
 * of both systems, until it is accepted or `retryForMs` runs out.
 */
export function startTraffic(options: { perSecond: number; story?: typeof orderAndPackage; retryForMs?: number }) {
  const story = options.story ?? orderAndPackage;
  const records: CallRecord[] = [];
  const running = new Set<Promise<void>>();
  let stopped = false;

  async function play() {
    for (const call of story()) {
      const record: CallRecord = { path: call.path, dispatchNO: call.dispatchNO, statuses: [] };
      records.push(record);
      const giveUpAt = Date.now() + (options.retryForMs ?? 60_000);
      for (;;) {
        const answer = await callPartner(call.path, call.body);
        record.statuses.push(answer.status);
        if (answer.status === 200) {
          expect(answer.body, `${call.path} ${call.dispatchNO}`).toEqual({ success: true });
          break;
        }
        if (Date.now() > giveUpAt) return;
        await sleep(200);
      }
    }
  }

  const errors: unknown[] = [];
  const ticker = setInterval(() => {
    if (stopped) return;
    const story = play().catch((error: unknown) => void errors.push(error));
    running.add(story);
    void story.finally(() => running.delete(story));
  }, 1000 / options.perSecond);

  return {
    records,
    /** Stops starting stories and waits for the ones under way. */
    async stop() {
      stopped = true;
      clearInterval(ticker);
      while (running.size > 0) await Promise.all([...running]);
      if (errors.length > 0) throw errors[0];
      return records;
    },
  };
}

/** Calls answered 200 so far (a call retried after a 503 counts once, when accepted). */
export const acceptedCount = (records: CallRecord[]) => records.filter((record) => record.statuses.at(-1) === 200).length;

/** Waits (polling, never a fixed sleep) until `more` calls beyond those accepted now have been accepted. */
export async function waitForMoreAccepted(records: CallRecord[], more: number, timeoutMs = 30_000) {
  const target = acceptedCount(records) + more;
  await expect.poll(() => acceptedCount(records), { timeout: timeoutMs, interval: 20 }).toBeGreaterThanOrEqual(target);
}

/**
 * The Debian cluster (version, name) the test server is, read from the server
 * itself (Debian sets cluster_name to "15/main"), for pg_ctlcluster.
 * @throws when the server has no cluster_name: it is not a Debian cluster pg_ctlcluster can restart.
 */
export async function debianClusterOf(admin: postgres.Sql): Promise<{ version: string; name: string }> {
  const [row] = await admin<{ cluster: string }[]>`select current_setting('cluster_name') as cluster`;
  const [version, name] = (row?.cluster ?? "").split("/");
  if (!version || !name) throw new Error(`cluster_name is "${row?.cluster ?? ""}": not a Debian cluster (pg_ctlcluster needs version/name)`);
  return { version, name };
}

/** A connection of the test's own to the server, for what the hub must not see (terminating backends, counting connections). */
export function adminConnection() {
  const url = new URL(process.env.HUB_TEST_BASE_URL!);
  return postgres(url.toString(), { max: 1, onnotice: () => {} });
}

export function databaseName(url: string) {
  return new URL(url).pathname.slice(1);
}
