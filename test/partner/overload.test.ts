import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { summarize } from "@/bench/lib/stats";
import type { ProbeCall } from "@/bench/store-order-probe";
import { notices } from "@/db/schema/notices";
import { getConfig, setConfigForTests } from "@/server/config";
import { createHubServer } from "@/server/http-server";
import { useDeliveryHarness } from "@/test/delivery/harness";
import { POS_TOKEN } from "@/test/partner-client";
import { partnerHttpHandler } from "@/test/partner-http-handler";

// Issue 13: overload is answered, never dropped. A burst far above what one
// instance can store at once (on the embedded database one call at a time, on
// PostgreSQL one per pool connection), sent by a process of its own over the
// real node:http server (with its load shedding, server/partner/load-shedding.ts), gets 200 or 503 + Retry-After for every call: no
// reset, no call held for long, and every 200 stored and delivered.

const harness = useDeliveryHarness();
const BURST = 500;
let server: ReturnType<typeof createHubServer>;
let port: number;

beforeAll(async () => {
  // One token carries the whole burst: the instance's admission, not the token's cap, is what is tested.
  setConfigForTests({ PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: 1000, PARTNER_CALLS_IN_FLIGHT: 256, PARTNER_QUEUE_WAIT_MS: 1000 });
  const handle = partnerHttpHandler();
  server = createHubServer((req, res) => void handle(req, res), getConfig());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The store POS as a process of its own (bench/store-order-probe.ts): `count` store orders sent at once. */
function burst(count: number): Promise<ProbeCall[]> {
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", "bench/store-order-probe.ts", "--url", `http://127.0.0.1:${port}/pos/ordermake`, "--rate", String(count * 20), "--seconds", "0.05", "--token", POS_TOKEN, "--sockets", String(count), "--stream", String(Date.now() % 100_000)];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve((JSON.parse(out.trim().split("\n").pop()!) as { calls: ProbeCall[] }).calls) : reject(new Error(`probe exited ${code}`))));
  });
}

test(`a burst of ${BURST} store orders at once: only 200s and 503s with Retry-After, none held for long, every 200 stored and delivered`, { timeout: 180_000 }, async () => {
  // The pool's connections opened and the statements prepared: the burst meets a running instance.
  const [first] = await burst(1);
  expect(first?.status).toBe(200);
  const warmUp = first!.dispatchNo;
  const answers = await burst(BURST);
  expect(answers).toHaveLength(BURST);

  const byStatus: Record<string, ProbeCall[]> = {};
  for (const answer of answers) (byStatus[String(answer.status ?? answer.error)] ??= []).push(answer);
  // What each status got and how long its answers took, shown when the test fails.
  const seen = JSON.stringify(Object.fromEntries(Object.entries(byStatus).map(([status, calls]) => [status, summarize(calls.map((call) => Math.round(call.answerMs)))])));
  expect(Object.keys(byStatus).sort(), seen).toEqual(["200", "503"]);
  const busy = byStatus["503"]!;
  expect(busy.every((answer) => answer.retryAfter === "1")).toBe(true);
  // Loose on purpose, not a timing test: on the shared 2-core machine (load 12–15) the embedded
  // database's burst answered within 3–23 s, the one before admission in 56–90 s with resets.
  expect(Math.max(...answers.map((answer) => answer.answerMs)), seen).toBeLessThan(30_000);

  const ok = byStatus["200"]!.map((answer) => answer.dispatchNo);
  const stored = await harness.database.db.select({ dispatchNo: notices.dispatchNo }).from(notices).where(inArray(notices.dispatchNo, answers.map((answer) => answer.dispatchNo)));
  expect(new Set(stored.map((row) => row.dispatchNo))).toEqual(new Set(ok));

  const deliveredNumbers = () => harness.oms.received.map((call) => (call.json as { dispatchNO?: string }).dispatchNO);
  await vi.waitFor(() => expect(new Set(deliveredNumbers())).toEqual(new Set([...ok, warmUp])), { timeout: 120_000, interval: 250 });
  // Nothing turned away reached the OMS (a repeat of an accepted one is allowed: delivery is at-least-once, SPEC §5).
  const turnedAway = new Set(busy.map((answer) => answer.dispatchNo));
  expect(deliveredNumbers().filter((dispatchNo) => turnedAway.has(dispatchNo!))).toEqual([]);
});
