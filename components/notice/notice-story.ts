import type { RouterOutputs } from "@/trpc/react";

/** A notice's story as notices.story answers it: header, items, shipments, anomalies, timeline, deliveries. */
export type NoticeStory = RouterOutputs["notices"]["story"];
