import type { RuleKind } from "@/lib/alert-rule-kinds";
import type { RuleSettings } from "@/server/alerts/rule-settings";
import type { ConditionDetails } from "@/db/schema/alerts";
import { chineseDuration, shanghaiTime } from "@/server/alerts/alert-message";

/**
 * The alert rules of SPEC §8 / issue 11, as plain functions of the facts
 * (gather-facts.ts reads them from the database) and the admin's thresholds.
 * One list of kinds; pages, the channel forms and the database rows use it.
 */
type Side = "pos" | "oms";

/** A row of the problems table (SPEC §8), as the rules need it. */
export type ProblemFact = {
  id: number;
  side: Side;
  path: string;
  failureKind: string;
  msg: string;
  state: "open" | "acknowledged" | "resolved" | "muted";
  openCount: number;
  totalCount: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  exampleError: string | null;
};

/** Everything the rules look at, read at one instant. */
export type AlertFacts = {
  now: Date;
  /** Problems open or acknowledged, plus those an open condition still points at. */
  problems: ProblemFact[];
  /** Undelivered deliveries (pending) per target side. */
  backlog: { side: Side; count: number; oldestCreatedAt: Date }[];
  /** Partner calls per calling side over the last REFUSAL_WINDOW_MS; `refused` = answered 400/401/403. */
  inbound: { side: Side; total: number; refused: number }[];
  /** Each side's latest call to the hub (null: never). */
  lastCalls: { side: Side; at: Date | null }[];
  /** Ship-from-store notices still pending past SHIP_FROM_STORE_SLA_MS. */
  overdueShipFromStore: { count: number; shops: number; oldestCreatedAt: Date | null; examples: string[] };
  /** Unresolved anomalies per kind. */
  openAnomalies: { kind: string; count: number; latestAt: Date; exampleDispatchNo: string | null; exampleDetail: string }[];
};

/** A condition a rule finds true now. `remind` false: known and being handled (an acknowledged problem). */
export type Firing = { rule: RuleKind; subject: string; problemId?: number; details: ConditionDetails; remind: boolean };

/** A problem that was muted: its open condition closes without a message. */
export type Silenced = { rule: RuleKind; subject: string };

export const SIDE_LABEL: Record<Side, string> = { pos: "POS（门店）", oms: "OMS（电商）" };
const FAILURE_LABEL: Record<string, string> = {
  connection_refused: "连接被拒绝",
  connection_reset: "连接被重置",
  dns_failure: "域名解析失败",
  timeout: "超时无应答",
  network_error: "网络错误",
  http_5xx: "HTTP 5xx 服务端错误",
  http_4xx: "HTTP 4xx 错误",
  http_other: "非 200 应答",
  redirect: "重定向",
  not_json: "应答不是 JSON",
  no_success: "应答缺少 success",
  rejected: "对方拒绝",
};
const ANOMALY_LABEL: Record<string, string> = {
  over_shipped: "超发",
  duplicate_serial: "件码重复",
  sku_not_ordered: "发出未订购的商品",
  sla_breach: "超 24 小时出库",
  short_shipped: "少发",
  unmatched_return: "退货匹配不到通知单",
  unmatched_waybill: "运单更改匹配不到",
  goods_after_final: "通知单完结后仍有货物出库",
  stale_waybill_change: "运单更改针对已被改掉的运单",
};

/** Which rule a problem falls under: a rejection, or any other failure (timed out, or still retrying after failures). */
export function ruleOfProblem(problem: Pick<ProblemFact, "failureKind">): RuleKind {
  return problem.failureKind === "rejected" ? "delivery_rejected" : "delivery_timed_out";
}

/** A problem condition's title, counts and link, as its messages show them (read fresh for each message). */
export function problemDetails(problem: ProblemFact): ConditionDetails {
  const kind = FAILURE_LABEL[problem.failureKind] ?? problem.failureKind;
  const rejected = problem.failureKind === "rejected";
  return {
    title: `投递到 ${SIDE_LABEL[problem.side]} 失败：${problem.path}（${rejected ? `对方拒绝：${problem.msg}` : kind}）`,
    facts: [
      ["未处理投递", `${problem.openCount} 条`],
      ["累计", `${problem.totalCount} 条`],
      ["首次出现", shanghaiTime(problem.firstSeenAt)],
      ["最近出现", shanghaiTime(problem.lastSeenAt)],
    ],
    example: problem.exampleError ?? undefined,
    linkPath: `/problems/${problem.id}`,
    linkLabel: "查看问题",
  };
}

/** Minutes since Asia/Shanghai midnight. China has kept UTC+8 without daylight saving since 1991. */
export function shanghaiMinuteOfDay(at: Date): number {
  const shifted = new Date(at.getTime() + 8 * 3600_000);
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `now` is in business hours and a whole `minutes` of them have
 * passed today: silence is only counted in time a side should be calling.
 */
export function silenceCounts(now: Date, params: { minutes: number; from: string; to: string }): boolean {
  const minute = shanghaiMinuteOfDay(now);
  return minute < minutesOf(params.to) && minute - params.minutes >= minutesOf(params.from);
}

/**
 * Every condition that holds now, by the enabled rules; and the problem
 * conditions to close without a message (muted).
 */
export function evaluateRules(facts: AlertFacts, settings: RuleSettings): { firing: Firing[]; silenced: Silenced[] } {
  const firing: Firing[] = [];
  const silenced: Silenced[] = [];
  const { now } = facts;

  for (const problem of facts.problems) {
    const rule = ruleOfProblem(problem);
    const subject = `problem:${problem.id}`;
    if (problem.state === "muted") silenced.push({ rule, subject });
    if (!settings[rule].enabled) continue;
    if (problem.state === "open" || problem.state === "acknowledged") {
      firing.push({ rule, subject, problemId: problem.id, details: problemDetails(problem), remind: problem.state === "open" });
    }
  }

  const backlog = settings.backlog_age;
  if (backlog.enabled) {
    for (const side of facts.backlog) {
      const age = now.getTime() - side.oldestCreatedAt.getTime();
      if (side.count === 0 || age <= backlog.params.minutes * 60_000) continue;
      firing.push({
        rule: "backlog_age",
        subject: `side:${side.side}`,
        details: {
          title: `发往 ${SIDE_LABEL[side.side]} 的消息积压：最早一条已等待 ${chineseDuration(age)}`,
          facts: [
            ["未送达", `${side.count} 条`],
            ["最早一条", shanghaiTime(side.oldestCreatedAt)],
            ["阈值", `${backlog.params.minutes} 分钟`],
          ],
          linkPath: `/deliveries?queue=retrying&target=${side.side}&olderThanMinutes=${backlog.params.minutes}`,
          linkLabel: "查看投递",
        },
        remind: true,
      });
    }
  }

  const refusals = settings.inbound_refusals;
  if (refusals.enabled) {
    for (const side of facts.inbound) {
      if (side.total < refusals.params.minCalls) continue;
      const percent = (side.refused / side.total) * 100;
      if (percent <= refusals.params.percent) continue;
      firing.push({
        rule: "inbound_refusals",
        subject: `side:${side.side}`,
        details: {
          title: `${SIDE_LABEL[side.side]} 的调用被大量拒绝（400/401/403）：近 5 分钟 ${percent.toFixed(0)}%`,
          facts: [
            ["近 5 分钟调用", `${side.total} 次`],
            ["被拒绝", `${side.refused} 次`],
            ["阈值", `${refusals.params.percent}%`],
          ],
          linkPath: `/exchanges?side=${side.side}`,
          linkLabel: "查看调用日志",
        },
        remind: true,
      });
    }
  }

  const silence = settings.silence;
  if (silence.enabled && silenceCounts(now, silence.params)) {
    for (const side of facts.lastCalls) {
      if (side.at && now.getTime() - side.at.getTime() <= silence.params.minutes * 60_000) continue;
      firing.push({
        rule: "silence",
        subject: `side:${side.side}`,
        details: {
          title: `${SIDE_LABEL[side.side]} 已 ${silence.params.minutes} 分钟以上没有调用中台（营业时间 ${silence.params.from}–${silence.params.to}）`,
          facts: [["最近一次调用", side.at ? shanghaiTime(side.at) : "从未"]],
          linkPath: `/exchanges?side=${side.side}`,
          linkLabel: "查看调用日志",
        },
        remind: true,
      });
    }
  }

  const overdue = facts.overdueShipFromStore;
  if (settings.ship_from_store_overdue.enabled && overdue.count > 0) {
    firing.push({
      rule: "ship_from_store_overdue",
      subject: "all",
      details: {
        title: `${overdue.count} 张门店发货通知单超过 24 小时未出库`,
        facts: [
          ["涉及门店", `${overdue.shops} 家`],
          ["最早下发", overdue.oldestCreatedAt ? shanghaiTime(overdue.oldestCreatedAt) : "—"],
          ["例如", overdue.examples.join("、") || "—"],
        ],
        linkPath: "/overview",
        linkLabel: "查看概览",
      },
      remind: true,
    });
  }

  if (settings.new_anomalies.enabled) {
    for (const anomaly of facts.openAnomalies) {
      if (anomaly.count === 0) continue;
      firing.push({
        rule: "new_anomalies",
        subject: `kind:${anomaly.kind}`,
        details: {
          title: `出现异常：${ANOMALY_LABEL[anomaly.kind] ?? anomaly.kind}`,
          facts: [
            ["未处理", `${anomaly.count} 条`],
            ["最近一条", shanghaiTime(anomaly.latestAt)],
            ["通知单", anomaly.exampleDispatchNo ?? "—"],
          ],
          example: anomaly.exampleDetail,
          linkPath: anomaly.exampleDispatchNo ? `/search?q=${encodeURIComponent(anomaly.exampleDispatchNo)}` : "/search?problems=1",
          linkLabel: "查看通知单",
        },
        remind: true,
      });
    }
  }

  return { firing, silenced };
}
