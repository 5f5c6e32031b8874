import { describe, expect, it } from "vitest";
import { anomalyKind } from "@/db/schema/notices";
import { anomalyText } from "@/lib/i18n/anomaly-text";
import { explainAnswerMessage, explainFailure, explainIssue } from "@/lib/i18n/explain-error";
import { endpointName, endpointTerms, terms, tokenLabelText } from "@/lib/i18n/glossary";
import { dictionaries, translator } from "@/lib/i18n/messages";
import { queueOf } from "@/lib/delivery-queues";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { failureKinds } from "@/lib/failure-kinds";

const zh = translator("zh-CN");
const en = translator("en");
const ENV_NAME = /[A-Z]{3,}_[A-Z_]+/;
const BARE_PATH = /\/(?:pos|oms)\/\w/;
const HAN = /\p{Script=Han}/u;

describe("glossary and dictionaries", () => {
  it("has every key in both languages, none empty", () => {
    const zhKeys = Object.keys(dictionaries["zh-CN"]).sort();
    expect(Object.keys(dictionaries.en).sort()).toEqual(zhKeys);
    for (const locale of ["zh-CN", "en"] as const) {
      for (const [key, text] of Object.entries(dictionaries[locale])) expect(text.trim(), `${locale} ${key}`).not.toBe("");
    }
    for (const [key, entry] of Object.entries({ ...terms, ...endpointTerms })) {
      expect(entry.zh.trim(), key).not.toBe("");
      expect(entry.en.trim(), key).not.toBe("");
      expect(entry.note.trim(), key).not.toBe("");
    }
  });

  it("names no environment variable and no bare path in a zh-CN or English text", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      for (const [key, text] of Object.entries(dictionaries[locale])) {
        expect(text, `${locale} ${key}`).not.toMatch(ENV_NAME);
        expect(text, `${locale} ${key}`).not.toMatch(BARE_PATH);
      }
    }
    for (const [key, entry] of Object.entries({ ...terms, ...endpointTerms })) {
      expect(entry.zh, key).not.toMatch(ENV_NAME);
      expect(entry.zh, key).not.toMatch(BARE_PATH);
    }
  });

  it("calls inbound calls 接收, keeping 调入 for the SCM transfer only (seed: SCM调入单号)", () => {
    const uses = Object.entries(dictionaries["zh-CN"]).filter(([, text]) => text.includes("调入"));
    for (const [key, text] of uses) expect(text, key).toMatch(/调入单/);
    expect(zh("timeline.inbound", { side: "门店 POS" })).toBe("接收 门店 POS 来电");
  });

  it("gives every partner endpoint a business name in both languages, the seed's words in Chinese", () => {
    for (const endpoint of partnerEndpoints) {
      expect(endpointName(endpoint.path, "zh-CN"), endpoint.path).not.toBe(endpoint.path);
      expect(endpointName(endpoint.path, "en"), endpoint.path).not.toMatch(HAN);
    }
    expect(endpointName("/pos/ordermake", "zh-CN")).toBe("门店下单");
    expect(endpointName("/oms/delivery/notice", "zh-CN")).toBe("整单发货/超卖");
    expect(endpointName("/nowhere", "zh-CN")).toBe("/nowhere");
  });

  it("shows environment tokens in words", () => {
    expect(tokenLabelText("HUB_POS_TOKEN", "zh-CN")).toBe("门店 POS 令牌（环境配置）");
    expect(tokenLabelText("HUB_OMS_TOKEN", "en")).toBe("E-commerce OMS token (environment)");
    expect(tokenLabelText("北京门店 POS", "zh-CN")).toBe("北京门店 POS");
  });

  it("counts right in English and needs no plural in Chinese", () => {
    expect(en("delivery.attempts", { n: 1 })).toBe("1 attempt");
    expect(en("delivery.attempts", { n: 2 })).toBe("2 attempts");
    expect(en("delivery.attempts", { n: 0 })).toBe("0 attempts");
    expect(zh("delivery.attempts", { n: 1 })).toBe("已尝试 1 次");
    expect(en("actions.willChange", { n: 1, action: "Retry now" })).toBe("Retry now will change 1 delivery");
  });
});

describe("one state word on tabs and rows", () => {
  it("labels a pending delivery by the queue its tab lists it under", () => {
    expect(queueOf({ state: "pending", attempts: 3, blockedBy: null })).toBe("retrying");
    expect(queueOf({ state: "pending", attempts: 0, blockedBy: null })).toBe("queued");
    expect(queueOf({ state: "pending", attempts: 2, blockedBy: 7 })).toBe("blocked");
    expect(queueOf({ state: "timed_out", attempts: 9, blockedBy: null })).toBe("timed_out");
    expect(zh(`queue.${queueOf({ state: "pending", attempts: 3, blockedBy: null })}`)).toBe("重试中");
  });
});

describe("errors in words of what to do", () => {
  it("explains each failure kind in both languages", () => {
    expect(explainFailure({ error: "fetch failed: ECONNREFUSED" }, zh)).toBe("对方系统无法连接：检查对方服务是否在线或投递地址是否正确");
    expect(explainFailure({ error: "no answer within 10000 ms" }, zh)).toMatch(/没有应答/);
    expect(explainFailure({ error: "HTTP 502" }, zh)).toContain("HTTP 502");
    expect(explainFailure({ error: "HTTP 404", httpStatus: 404 }, en)).toMatch(/refused the request \(HTTP 404\)/);
    expect(explainFailure({ msg: "通知单已作废" }, zh)).toContain("通知单已作废");
    expect(explainFailure({ error: null }, zh)).toBeNull();
    for (const kind of failureKinds) {
      expect(zh(`failureHelp.${kind}`, { status: 500, msg: "x" })).not.toMatch(/\bE[A-Z]{3,}\b|fetch failed/);
      expect(en(`failureHelp.${kind}`, { status: 500, msg: "x" })).not.toMatch(HAN);
    }
  });

  it("reads zod messages as field-level words", () => {
    expect(explainIssue("items", "Too small: expected array to have >=1 items", zh)).toBe("items 至少要有 1 项");
    expect(explainIssue("items", "Too small: expected array to have >=1 items", en)).toBe("items needs at least 1 item");
    expect(explainIssue("phone", "Invalid input: expected string, received undefined", zh)).toBe("phone 未填写（应为文本）");
    expect(explainIssue("items[0].qty", "Invalid input: expected int, received number", zh)).toBe("items[0].qty 应为整数");
    expect(explainIssue("qty", "Invalid input: expected number, received string", en)).toBe("qty has the wrong type: expected a number, got text");
    expect(explainAnswerMessage("参数错误 items: Too small: expected array to have >=1 items; dispatchNO: Invalid input: expected string, received undefined", zh)).toBe(
      "参数错误：items 至少要有 1 项；dispatchNO 未填写（应为文本）",
    );
    expect(explainAnswerMessage("通知单已作废", zh)).toBe("通知单已作废");
  });
});

describe("anomaly texts in one language", () => {
  const samples = [
    { kind: "over_shipped", detail: "G1/C1/S 订购 1 件, 已出库 2 件 (over-shipped)", data: { product: "G1", color: "C1", size: "S", ordered: 1, shipped: 2 } },
    { kind: "over_shipped", detail: "订购 1 件, 已出库 2 件 (over-shipped)", data: JSON.stringify({ ordered: 1, shipped: 2 }) },
    { kind: "duplicate_serial", detail: "件码 SN1 重复出库 (serial shipped twice)", data: { sn: "SN1" } },
    { kind: "sku_not_ordered", detail: "x (SKU not ordered)", data: { product: "G9", color: "C", size: "M", shipped: 1 } },
    { kind: "sla_breach", detail: "x (late)", data: { hours: 30 } },
    { kind: "short_shipped", detail: "x (short)", data: { product: "G1", color: "C1", size: "S", qty: 2, ordered: 2, shipped: 1 } },
    { kind: "unmatched_return", detail: "x (unmatched)", data: { sn: "SN9" } },
    { kind: "unmatched_waybill", detail: "x (unmatched)", data: { targetbillCode: "SF1" } },
    { kind: "goods_after_final", detail: "x (after final)", data: { status: "shipped", movement: "oms/delivery/package" } },
    { kind: "stale_waybill_change", detail: "x (stale)", data: { targetbillCode: "SF1", currentWaybill: "SF2", requested: "SF3" } },
  ];

  it("covers every anomaly kind", () => {
    expect(new Set(samples.map((sample) => sample.kind))).toEqual(new Set(anomalyKind.enumValues));
  });

  it("writes Chinese for zh-CN and no Chinese for English", () => {
    for (const sample of samples) {
      const chinese = anomalyText(sample, zh, "zh-CN");
      const english = anomalyText(sample, en, "en");
      expect(chinese, sample.kind).toMatch(HAN);
      expect(chinese, sample.kind).not.toMatch(/\((over|serial|SKU|late|short|unmatched|after|stale)/);
      expect(english, sample.kind).not.toMatch(HAN);
    }
    expect(anomalyText(samples[0]!, zh, "zh-CN")).toBe("G1/C1/S 订购 1 件，已出库 2 件");
    expect(anomalyText(samples[8]!, zh, "zh-CN")).toBe("通知单已是「已发货」，之后又收到「仓库包裹发货」");
  });

  it("falls back to the stored detail's half in the reader's language", () => {
    const old = { kind: "duplicate_serial", detail: "件码 SN1 重复出库 (serial shipped twice)", data: null };
    expect(anomalyText(old, zh, "zh-CN")).toBe("件码 SN1 重复出库");
    expect(anomalyText(old, en, "en")).toBe("serial shipped twice");
  });
});
