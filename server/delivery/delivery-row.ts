import { deliveries } from "@/db/schema/deliveries";
import { notices } from "@/db/schema/notices";

/**
 * The columns of a delivery as the dashboard lists it (the deliveries page, the
 * heads that block most): the delivery without its payload (see getDelivery),
 * with its notice's dispatchNO and shop. The select must left-join `notices`
 * on `deliveries.notice_id`.
 */
export const deliveryRowColumns = {
  id: deliveries.id,
  deliveryId: deliveries.deliveryId,
  noticeId: deliveries.noticeId,
  dispatchNo: notices.dispatchNo,
  shopCode: notices.shopCode,
  target: deliveries.target,
  path: deliveries.path,
  state: deliveries.state,
  attempts: deliveries.attempts,
  nextAttemptAt: deliveries.nextAttemptAt,
  deadlineAt: deliveries.deadlineAt,
  lastStatus: deliveries.lastStatus,
  lastError: deliveries.lastError,
  answerMsg: deliveries.answerMsg,
  payloadVersion: deliveries.payloadVersion,
  createdAt: deliveries.createdAt,
  finishedAt: deliveries.finishedAt,
  problemId: deliveries.problemId,
};
