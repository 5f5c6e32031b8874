"use client";

import Link from "next/link";
import type { RouterOutputs } from "@/trpc/react";

/** The fields of a delivery row (deliveries list, a problem's deliveries, blocking heads) this reads. */
type DeliveryNotice = Pick<RouterOutputs["deliveries"]["list"]["rows"][number], "noticeId" | "dispatchNo" | "shopCode">;

/**
 * A delivery's notice as the lists show it: its dispatchNO linking to the
 * notice page ("—" when the delivery belongs to none), then the shop code in
 * small. A click on the link does not also open the row it sits in.
 */
export function NoticeLink({ row }: { row: DeliveryNotice }) {
  return (
    <>
      {row.noticeId ? (
        <Link className="font-mono text-blue-700 hover:underline" href={`/notices/${row.noticeId}`} onClick={(event) => event.stopPropagation()}>
          {row.dispatchNo}
        </Link>
      ) : (
        "—"
      )}
      {row.shopCode && <span className="ml-1 text-xs text-slate-500">{row.shopCode}</span>}
    </>
  );
}
