import { expect, test } from "vitest";
import { GET } from "@/app/metrics/route";
import { callPartner } from "@/test/partner-client";
import { storeOrder } from "@/test/partner/messages";
import { useDeliveryHarness, waitForDeliveryState } from "@/test/delivery/harness";

const hub = useDeliveryHarness();

async function problemsOpen(labels: { side: string; state: string }): Promise<number> {
  const text = await (await GET(new Request("http://hub.test/metrics"))).text();
  const line = text.split("\n").find((entry) => entry.startsWith(`hub_problems_open{side="${labels.side}",state="${labels.state}"}`));
  return line ? Number(line.split(" ").pop()) : Number.NaN;
}

test("hub_problems_open counts the problems needing someone, per side, and falls back to 0 when they resolve", async () => {
  expect(await problemsOpen({ side: "oms", state: "open" })).toBe(0);
  hub.oms.setBehaviourFor("/pos/ordermake", { kind: "status", status: 502 });
  const order = storeOrder();
  await callPartner("/pos/ordermake", order);
  await expect.poll(() => problemsOpen({ side: "oms", state: "open" }), { timeout: 15_000 }).toBe(1);
  expect(await problemsOpen({ side: "pos", state: "open" })).toBe(0);

  hub.oms.setBehaviourFor("/pos/ordermake", null);
  await waitForDeliveryState(hub.database.db, { dispatchNo: order.dispatchNO, path: "/pos/ordermake" }, "delivered");
  expect(await problemsOpen({ side: "oms", state: "open" })).toBe(0);
});
