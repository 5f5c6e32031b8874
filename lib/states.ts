// The one list of every state, outcome and kind the hub stores. The database
// enums (db/schema), the server's filters and the pages' menus and labels all
// import these: a new value is added here, once, and reaches every one of them
// (lib/states.test.ts checks each has its labels in both languages).
// Plain data, no imports: client components may import it.

/** Where a notice stands (SPEC §4). */
export const noticeStatuses = ["pending", "partially_shipped", "shipped", "oversold", "voided", "refused"] as const;
export type NoticeStatus = (typeof noticeStatuses)[number];

/** What the hub noticed about a notice without refusing the call (SPEC §4). */
export const anomalyKinds = [
  "over_shipped",
  "duplicate_serial",
  "sku_not_ordered",
  "sla_breach",
  "short_shipped",
  "unmatched_return",
  "unmatched_waybill",
  "goods_after_final",
  "stale_waybill_change",
] as const;

/** The two partners; each calls the hub and is delivered to. */
export const partnerSides = ["pos", "oms"] as const;

/** How the hub answered a partner's call. */
export const exchangeOutcomes = ["accepted", "rejected", "invalid", "unauthorized", "duplicate"] as const;

/** How the other side answered one attempt at a delivery. */
export const attemptOutcomes = ["delivered", "rejected", "failed"] as const;

/** Where a delivery (an outbox row) stands. */
export const deliveryStates = ["pending", "delivered", "rejected", "timed_out", "resolved", "cancelled"] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/**
 * Not yet delivered, resolved or cancelled: such a delivery holds back the later
 * ones of its notice (head-of-line), and is what a person can still act on.
 */
export const openDeliveryStates = ["pending", "rejected", "timed_out"] as const satisfies readonly DeliveryState[];

/** Open, and waiting for a person: the other side refused it, or its deadline passed. */
export const deliveryStatesAwaitingAPerson = ["rejected", "timed_out"] as const satisfies readonly DeliveryState[];

/** Finished: nothing more will be sent (every state that is not open). */
export const closedDeliveryStates = deliveryStates.filter(
  (state): state is Exclude<DeliveryState, (typeof openDeliveryStates)[number]> => !(openDeliveryStates as readonly string[]).includes(state),
);

/** open → acknowledged → resolved, or muted (SPEC §8). */
export const problemStates = ["open", "acknowledged", "resolved", "muted"] as const;
export type ProblemState = (typeof problemStates)[number];

/** States in which a problem still needs someone: what `hub_problems_open` counts and the landing page lists first. */
export const activeProblemStates = ["open", "acknowledged"] as const satisfies readonly (typeof problemStates)[number][];

/** Where an alert message to one channel stands. */
export const alertSendStates = ["pending", "sent", "failed"] as const;

/** Why an alert message was sent: a condition opened, is still open, resolved, or an admin's test. */
export const alertSendKinds = ["opened", "reminder", "resolved", "test"] as const;
export type AlertSendKind = (typeof alertSendKinds)[number];

/** Dashboard roles: a viewer reads everything; an operator also acts on deliveries; an admin also manages users, tokens and settings. */
export const roles = ["viewer", "operator", "admin"] as const;
export type Role = (typeof roles)[number];

/** What the live stream says changed: the tables the pages show (server/live/live-events.ts). */
export const liveTopics = ["notices", "deliveries", "problems", "exchanges", "alert_sends"] as const;
export type LiveTopic = (typeof liveTopics)[number];

/** What /api/export/[kind] writes as a spreadsheet (server/dashboard/export-sheets.ts). */
export const exportKinds = ["search", "deliveries", "late-stores"] as const;
export type ExportKind = (typeof exportKinds)[number];
