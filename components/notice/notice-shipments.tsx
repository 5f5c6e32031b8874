"use client";

import { useI18n } from "@/lib/i18n/client";
import { Card, Table, Td } from "@/components/ui";
import type { NoticeStory } from "@/components/notice/notice-story";

type Package = NoticeStory["storePackages"][number];

function PackageBox({ pkg }: { pkg: Package }) {
  const { t, time } = useI18n();
  return (
    <div className="rounded border border-slate-200 p-2">
      <p className="text-sm">
        📦 <span className="font-mono">{pkg.waybillCode ?? "—"}</span> {pkg.express && <span className="text-slate-500">({pkg.express})</span>}
      </p>
      {pkg.changes.map((change) => (
        <p key={change.id} className="text-xs text-slate-600">
          {t("notice.waybillChanged")}: <span className="font-mono line-through">{change.oldWaybillCode}</span> →{" "}
          <span className="font-mono">{change.newWaybillCode}</span> {change.newExpress && `(${change.newExpress})`} · {time(change.createdAt)}
        </p>
      ))}
      <ul className="mt-1 flex flex-wrap gap-1 text-xs">
        {pkg.pieces.map((piece) => (
          <li key={piece.id} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono">
            {piece.sn ?? t("notice.noSerial")}
            {piece.product && <span className="text-slate-500"> · {piece.product}/{piece.color}/{piece.size}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Split shipments: warehouse → packages → serials; store checkout parcels apart. */
export function NoticeShipments({ story }: { story: NoticeStory }) {
  const { t, time } = useI18n();
  const nothing = story.transfers.length === 0 && story.storePackages.length === 0;
  return (
    <Card title={t("notice.shipments")}>
      {nothing && <p className="text-sm text-slate-500">{t("notice.noShipments")}</p>}
      <div className="space-y-3">
        {story.transfers.map((transfer) => (
          <div key={transfer.id} className="space-y-2">
            <p className="text-sm font-medium">
              🏭 {transfer.shipName ?? transfer.shipCode ?? "—"} <span className="font-mono text-slate-500">{transfer.shipCode}</span> ·{" "}
              {t("notice.transferCode")} <span className="font-mono">{transfer.transferCode}</span> · {time(transfer.createdAt)}
            </p>
            <div className="grid gap-2 pl-4 md:grid-cols-2">
              {transfer.packages.map((pkg) => (
                <PackageBox key={pkg.id} pkg={pkg} />
              ))}
            </div>
          </div>
        ))}
        {story.storePackages.length > 0 && (
          <div className="space-y-2">
            <p className="text-sm font-medium">🏬 {t("notice.storeCheckout", { shop: story.notice.shopCode })}</p>
            <div className="grid gap-2 pl-4 md:grid-cols-2">
              {story.storePackages.map((pkg) => (
                <PackageBox key={pkg.id} pkg={pkg} />
              ))}
            </div>
          </div>
        )}
        {story.unmatchedChanges.map((change) => (
          <p key={change.id} className="text-xs text-amber-800">
            {t("notice.waybillChanged")}: {change.oldWaybillCode} → {change.newWaybillCode} ({t(change.stale ? "notice.staleChange" : "notice.unmatched")})
          </p>
        ))}
      </div>
      {story.returns.length > 0 && (
        <div className="mt-4">
          <h3 className="mb-1 text-sm font-semibold">{t("notice.returns")}</h3>
          <Table head={[t("notice.time"), "SKU", t("notice.serial"), t("notice.waybill"), t("notice.receivedBy")]}>
            {story.returns.map((item) => (
              <tr key={item.id}>
                <Td>{time(item.createdAt)}</Td>
                <Td className="font-mono">{item.product ? `${item.product}/${item.color}/${item.size}` : "—"}</Td>
                <Td className="font-mono">{item.sn}</Td>
                <Td className="font-mono">
                  {item.waybillCode} {item.express && `(${item.express})`}
                </Td>
                <Td>{item.receiverName ?? item.receiverCode ?? item.shopCode}</Td>
              </tr>
            ))}
          </Table>
        </div>
      )}
    </Card>
  );
}
