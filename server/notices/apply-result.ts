import { BUSINESS_MSG, type AnomalyDraft, type Decision, type NoticeStatus } from "@/server/notices/rules";

/** What applying one partner message to the hub's picture came to. */
export type ApplyResult = {
  decision: Decision;
  /** The notice the call is about, when the hub knows it. */
  notice: { id: number; dispatchNo: string } | null;
  anomalies: AnomalyDraft[];
  /**
   * False when the same call may be accepted later (the notice has not arrived
   * yet), so its answer must not be replayed to a retry.
   */
  replayable: boolean;
  /** False when the message must not reach the other side (a void that cancelled an undelivered notice). */
  forward: boolean;
  /** A void remembers what it replaced, in case the other side's own answer overrules it. */
  statusBefore?: NoticeStatus;
};

export type CallContext = { exchangeId: string; now: Date };

export const accepted = (notice: ApplyResult["notice"], anomalies: AnomalyDraft[] = []): ApplyResult => ({
  decision: { ok: true },
  notice,
  anomalies,
  replayable: true,
  forward: true,
});

export const refused = (msg: string, notice: ApplyResult["notice"]): ApplyResult => ({
  decision: { ok: false, msg },
  notice,
  anomalies: [],
  replayable: true,
  forward: false,
});

export const noticeNotFound: ApplyResult = {
  decision: { ok: false, msg: BUSINESS_MSG.noticeNotFound },
  notice: null,
  anomalies: [],
  replayable: false,
  forward: false,
};
