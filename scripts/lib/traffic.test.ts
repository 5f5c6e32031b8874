import { describe, expect, it } from "vitest";
import type { CallOptions, HubAnswer, HubClient, Outcome } from "@/scripts/lib/hub-client";
import { createRng } from "@/scripts/lib/random";
import { SCENARIOS } from "@/scripts/lib/scenarios";
import * as traffic from "@/scripts/lib/traffic";
import { endpointFor } from "@/server/contract/endpoints";

type SentCall = { path: string; body: unknown; rawBody?: string; expect: Outcome[] };

/** Records what a scenario sends and answers what it expects, so the scenario plays to its end. */
function recordingHub(): HubClient & { sent: SentCall[] } {
  const sent: SentCall[] = [];
  return {
    sent,
    call(path: string, body: unknown, options: CallOptions = {}): Promise<HubAnswer> {
      const expected = options.expect === undefined ? [] : [options.expect].flat();
      sent.push({ path, body, ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }), expect: expected });
      const outcome = expected[0] ?? "accepted";
      return Promise.resolve({ path, status: outcome === "invalid" ? 400 : 200, outcome, ms: 0 });
    },
    pause: async () => {},
  };
}

async function playAll(seed: number) {
  const hub = recordingHub();
  for (const [stream, scenario] of SCENARIOS.entries()) await scenario.run(hub, createRng(seed, stream));
  return hub.sent;
}

const SEEDS = Array.from({ length: 200 }, (_, index) => index * 7919 + 1);

function passesSchema(call: SentCall) {
  if (call.rawBody !== undefined) {
    try {
      return endpointFor(call.path).schema.safeParse(JSON.parse(call.rawBody)).success;
    } catch {
      return false;
    }
  }
  return endpointFor(call.path).schema.safeParse(call.body).success;
}

describe("simulated traffic", () => {
  it("sends bodies the hub's own schemas accept, and malformed ones only where a 400 is expected", async () => {
    const pathsSeen = new Set<string>();
    for (const seed of SEEDS) {
      for (const call of await playAll(seed)) {
        pathsSeen.add(call.path);
        const invalid = call.expect.includes("invalid");
        expect({ path: call.path, body: call.body, rawBody: call.rawBody, valid: passesSchema(call) }).toEqual({
          path: call.path,
          body: call.body,
          rawBody: call.rawBody,
          valid: !invalid,
        });
      }
    }
    expect([...pathsSeen].sort()).toHaveLength(12);
  });

  it("gives every notice its own dispatchNO and every piece its own serial, across seeds and scenarios", async () => {
    const dispatchNOs: string[] = [];
    const serials: string[] = [];
    for (const seed of SEEDS) {
      const calls = await playAll(seed);
      for (const [index, call] of calls.entries()) {
        if (call.expect.includes("invalid")) continue;
        // A partner's retry of the call it just made carries the same serials, on purpose.
        if (index > 0 && JSON.stringify(calls[index - 1]) === JSON.stringify(call)) continue;
        if (call.path === "/pos/ordermake" || call.path === "/oms/pushorder") dispatchNOs.push((call.body as { dispatchNO: string }).dispatchNO);
        if (call.path === "/oms/delivery/package") {
          const message = call.body as traffic.Transfer;
          serials.push(...message.packages.flatMap((pkg) => pkg.items.map((item) => item.sn ?? "")));
        }
        if (call.path === "/pos/checkout") serials.push(...(call.body as traffic.Checkout).packages.flatMap((pkg) => pkg.sns));
      }
    }
    expect(dispatchNOs.length).toBeGreaterThan(SEEDS.length * 8);
    expect(new Set(dispatchNOs).size).toBe(dispatchNOs.length);
    expect(new Set(serials).size).toBe(serials.length);
  });

  it("replays the same calls from the same seed", async () => {
    expect(await playAll(12345)).toEqual(await playAll(12345));
    expect(await playAll(12345)).not.toEqual(await playAll(12346));
  });

  it("ships every ordered piece of a store order exactly once, over one to three warehouses", () => {
    for (const seed of SEEDS) {
      const rng = createRng(seed);
      const order = traffic.storeOrder(rng);
      const transfers = traffic.warehouseTransfers(rng, order);
      expect(transfers.length).toBeGreaterThanOrEqual(1);
      expect(transfers.length).toBeLessThanOrEqual(3);
      expect(new Set(transfers.map((transfer) => transfer.shipCode)).size).toBe(transfers.length);
      const shipped = transfers.flatMap((transfer) => transfer.packages.flatMap((pkg) => pkg.items.map((item) => `${item.product}/${item.color}/${item.size}`)));
      const ordered = order.items.flatMap((line) => Array.from({ length: line.qty }, () => `${line.product}/${line.color}/${line.size}`));
      expect(shipped.sort()).toEqual(ordered.sort());
    }
  });

  it("uses the shapes ops will search for", () => {
    for (const seed of SEEDS) {
      const rng = createRng(seed);
      const order = traffic.storeOrder(rng);
      expect(order.phone).toMatch(/^1[358]\d{9}$/);
      expect(order.shopCode).toMatch(/^S0(0[1-9]|[1-4]\d|50)$/);
      expect(order.receiver).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
    }
  });
});
