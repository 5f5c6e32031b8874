import type { DeliveryQueue } from "@/lib/delivery-queues";

/** The tab the deliveries page opens on (shared by the server prefetch and the client view). */
export const FIRST_QUEUE: DeliveryQueue = "retrying";
