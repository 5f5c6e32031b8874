import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries } from "@/db/schema/deliveries";
import { HubError } from "@/server/errors";
import { endpointFor } from "@/server/partner/endpoints";
import { parseJsonObject, parseMessage } from "@/server/partner/read-request";

/**
 * Would the endpoint accept this edited payload? The same parsing a partner's
 * call goes through, so ops see the field and the reason before they resend.
 */
export async function checkDeliveryPayload(db: Db, input: { id: number; payload: string }): Promise<{ ok: true } | { ok: false; msg: string }> {
  const [delivery] = await db.select({ path: deliveries.path }).from(deliveries).where(eq(deliveries.id, input.id));
  if (!delivery) throw new HubError("not_found", `投递不存在 (no delivery #${input.id})`);
  try {
    parseMessage(endpointFor(delivery.path).schema, parseJsonObject(input.payload));
    return { ok: true };
  } catch (error) {
    if (error instanceof HubError) return { ok: false, msg: error.message };
    throw error;
  }
}
