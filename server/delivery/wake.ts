// In-process wake-up for the delivery worker. Postgres NOTIFY reaches other
// processes too, but a worker in the process that just committed should not
// wait for the round trip.
const holder = globalThis as unknown as { hubDeliverySignal?: EventTarget };
export const deliverySignal = (holder.hubDeliverySignal ??= new EventTarget());

export function signalDeliveryQueued() {
  deliverySignal.dispatchEvent(new Event("queued"));
}
