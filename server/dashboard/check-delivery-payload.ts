import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { checkEditedPayload } from "@/server/delivery/edit-rules";
import { noticeDispatchNo } from "@/server/delivery/manual-actions";
import { HubError } from "@/server/errors";

/**
 * Would edit & resend accept this payload? The same checks the resend makes
 * (the endpoint's schema, identity fixed to the notice, no added fields), so
 * ops see the field and the reason before they resend.
 * Returns { ok: false, msg } for a payload that would be refused; throws not_found.
 */
export async function checkDeliveryPayload(db: Db, input: { id: number; payload: string }): Promise<{ ok: true } | { ok: false; msg: string }> {
  const [delivery] = await db
    .select({ path: deliveries.path, payload: deliveries.payload, noticeId: deliveries.noticeId })
    .from(deliveries)
    .where(eq(deliveries.id, input.id));
  if (!delivery) throw new HubError("not_found", `投递不存在 (no delivery #${input.id})`);
  try {
    checkEditedPayload({
      path: delivery.path,
      before: delivery.payload,
      after: input.payload,
      noticeDispatchNo: await noticeDispatchNo(db, delivery.noticeId),
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof HubError) return { ok: false, msg: error.message };
    throw error;
  }
}
