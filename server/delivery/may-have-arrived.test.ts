import { expect, test } from "vitest";
import { attemptMayHaveArrived } from "@/server/delivery/may-have-arrived";

const answered = (status: number, bodyText = "") => ({ kind: "answered", status, bodyText }) as const;

test("any HTTP answer may have come after the other side stored the body: 5xx, a gateway's 502 / 504, a 4xx, a refusal", () => {
  for (const status of [500, 502, 503, 504, 400, 404, 429, 302]) expect(attemptMayHaveArrived(answered(status))).toBe(true);
  expect(attemptMayHaveArrived(answered(200, '{"success":false,"msg":"发货通知单号重复"}'))).toBe(true);
  expect(attemptMayHaveArrived(answered(200, "<html>ok</html>"))).toBe(true);
});

test("a failure after connecting may have arrived; one before any connection never did", () => {
  expect(attemptMayHaveArrived({ kind: "error", error: "no answer within 10000 ms", connected: true })).toBe(true);
  expect(attemptMayHaveArrived({ kind: "error", error: "read ECONNRESET", connected: true })).toBe(true);
  expect(attemptMayHaveArrived({ kind: "error", error: "connect ECONNREFUSED 127.0.0.1:9", connected: false })).toBe(false);
  expect(attemptMayHaveArrived({ kind: "error", error: "getaddrinfo ENOTFOUND oms.example", connected: false })).toBe(false);
});
