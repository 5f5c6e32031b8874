import { setConfigForTests } from "@/server/config";
import { describe, expect, it } from "vitest";
import { checkExpectation, classifyAnswer, type CallOptions, type HubAnswer, type HubClient } from "@/scripts/lib/hub-client";
import { createRng } from "@/scripts/lib/random";
import { SCENARIOS } from "@/scripts/lib/scenarios";
import { useTestDatabase } from "@/test/database";
import { callPartner } from "@/test/partner-client";

// The scenarios' expectations are the contract's answers: play them against the
// hub's real route handlers and database, and every answer must be the expected one.

useTestDatabase();
setConfigForTests({ OMS_BASE_URL: undefined, POS_BASE_URL: undefined });

const inProcessHub: HubClient = {
  async call(path: string, body: unknown, options: CallOptions = {}): Promise<HubAnswer> {
    const started = performance.now();
    const reply = await callPartner(path, body, options.rawBody === undefined ? {} : { rawBody: options.rawBody });
    const answer: HubAnswer = {
      path,
      status: reply.status,
      outcome: classifyAnswer(reply.status, reply.body),
      ...(reply.body.msg ? { msg: reply.body.msg } : {}),
      ms: Math.round(performance.now() - started),
    };
    return checkExpectation(answer, options.expect);
  },
  pause: async () => {},
};

describe("scenarios against the hub", () => {
  for (const [stream, scenario] of SCENARIOS.entries()) {
    it(`${scenario.name} gets the answers the contract promises`, async () => {
      for (const seed of [1, 2, 3]) await scenario.run(inProcessHub, createRng(seed, stream));
    });
  }

  it("ends a scenario at an answer it did not expect", async () => {
    const order = { dispatchNO: "NEVER-MADE" };
    await expect(inProcessHub.call("/pos/orderremove", order, { expect: "accepted" })).rejects.toThrow(/expected accepted, got refused \(HTTP 200 通知单不存在\)/);
  });
});
