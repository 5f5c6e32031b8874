import { expect, test } from "vitest";
import { deliveriesUrlQuery, readDeliveriesUrl } from "@/components/deliveries/url-filter";

test("a view's tab, filters and page survive a round trip through the URL", () => {
  const state = {
    queue: "timed_out" as const,
    filter: { target: "oms" as const, path: "/pos/ordermake", shopCode: "S001", olderThanMinutes: 60, problemId: 7 },
    before: 1200,
    byHead: false,
  };
  const query = deliveriesUrlQuery(state);
  expect(query).toBe("queue=timed_out&target=oms&path=%2Fpos%2Fordermake&shopCode=S001&olderThanMinutes=60&problemId=7&before=1200");
  expect(readDeliveriesUrl(new URLSearchParams(query))).toEqual(state);
});

test("an empty or hand-mangled link opens the first queue with what still makes sense", () => {
  expect(readDeliveriesUrl(new URLSearchParams(""))).toEqual({ queue: "retrying", filter: {}, byHead: false });
  expect(readDeliveriesUrl(new URLSearchParams("queue=nope&target=erp&problemId=-3&blockedBy=x&before=abc&byHead=1"))).toEqual({
    queue: "retrying",
    filter: {},
    byHead: true,
  });
  expect(readDeliveriesUrl(new URLSearchParams("queue=blocked&blockedBy=12"))).toMatchObject({ queue: "blocked", filter: { blockedBy: 12 } });
});
