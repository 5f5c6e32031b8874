import { describe, expect, test } from "vitest";
import { failureKindOf } from "@/lib/failure-kinds";

const failed = (httpStatus: number | null, error: string) => ({ outcome: "failed" as const, httpStatus, error });

describe("failure kind from an attempt", () => {
  test.each([
    [failed(null, "no answer within 10000 ms"), "timeout"],
    [failed(null, "fetch failed: ECONNREFUSED"), "connection_refused"],
    [failed(null, "fetch failed: ECONNRESET"), "connection_reset"],
    [failed(null, "fetch failed: UND_ERR_SOCKET"), "connection_reset"],
    [failed(null, "fetch failed: ENOTFOUND"), "dns_failure"],
    [failed(null, "fetch failed: something odd"), "network_error"],
    [failed(500, "HTTP 500"), "http_5xx"],
    [failed(503, "HTTP 503"), "http_5xx"],
    [failed(404, "HTTP 404"), "http_4xx"],
    [failed(429, "HTTP 429"), "http_4xx"],
    [failed(302, "HTTP 302 redirect to /x not followed"), "redirect"],
    [failed(204, "HTTP 204"), "http_other"],
    [failed(200, "HTTP 200 with an answer that is not JSON"), "not_json"],
    [failed(200, 'HTTP 200 without a boolean "success"'), "no_success"],
    [{ outcome: "rejected" as const, httpStatus: 200, error: null, msg: "通知单不存在" }, "rejected"],
  ])("%o is %s", (attempt, kind) => {
    expect(failureKindOf(attempt)).toBe(kind);
  });
});
