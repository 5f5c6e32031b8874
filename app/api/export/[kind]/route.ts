import { randomUUID } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import superjson from "superjson";
import { ZodError } from "zod";
import { auth } from "@/auth";
import { LOCALE_COOKIE, toLocale } from "@/lib/i18n/locale";
import { translator } from "@/lib/i18n/messages";
import { explainIssue } from "@/lib/i18n/explain-error";
import { findOddInput } from "@/server/input-guard";
import { createTRPCContext, roleRefusal } from "@/server/api/trpc";
import { exportKinds, type ExportKind } from "@/lib/states";
import { EXPORT_MAX_ROWS, prepareExport } from "@/server/dashboard/export-sheets";
import { maskForViewer } from "@/server/dashboard/mask-phone";
import { log } from "@/server/log";

export const dynamic = "force-dynamic";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function localeOf(req: Request) {
  const match = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`).exec(req.headers.get("cookie") ?? "");
  return toLocale(match?.[1]);
}

const refuse = (status: number, message: string) => Response.json({ message }, { status });

/**
 * GET /api/export/{search|deliveries|late-stores}?input=<the page's filter, superjson>:
 * an .xlsx streamed as it is read (server/dashboard/export-sheets.ts), for any
 * signed-in user with the role rule the viewer procedures use; viewers get
 * phones masked. 413 with a message when more than EXPORT_MAX_ROWS rows match.
 */
export async function GET(req: Request, { params }: { params: Promise<{ kind: string }> }) {
  const { kind } = await params;
  const locale = localeOf(req);
  const t = translator(locale);
  const session = await auth();
  const ctx = await createTRPCContext({ sessionUserId: session?.user?.id, sessionVersion: session?.sessionVersion, locale });
  const refusal = roleRefusal(ctx.user, "viewer");
  if (refusal) return refuse(refusal.code === "UNAUTHORIZED" ? 401 : 403, refusal.message);
  if (!(exportKinds as readonly string[]).includes(kind)) return refuse(404, t("notFound.title"));

  let prepared;
  try {
    // superjson, as the tRPC calls send it: dates stay dates.
    const raw: unknown = superjson.parse(new URL(req.url).searchParams.get("input") ?? superjson.stringify({}));
    const odd = findOddInput(raw);
    if (odd) return refuse(400, t("error.invalidInput", { reason: odd }));
    prepared = prepareExport(kind as ExportKind, raw, ctx.db);
  } catch (error) {
    if (error instanceof ZodError) return refuse(400, t("error.invalidInput", { reason: explainIssue(error.issues[0]!.path.join("."), error.issues[0]!.message, t) }));
    if (error instanceof SyntaxError) return refuse(400, t("error.invalidInput", { reason: "input" }));
    throw error;
  }
  if (await prepared.exceeds(EXPORT_MAX_ROWS)) return refuse(413, t("export.tooMany", { max: EXPORT_MAX_ROWS }));

  const output = new PassThrough();
  const mask = ctx.user!.role === "viewer" ? maskForViewer : <T,>(row: T) => row;
  prepared.write({ stream: output, t, locale, mask, max: EXPORT_MAX_ROWS }).catch((error: unknown) => {
    log.error({ requestId: randomUUID(), export: kind, err: error }, "Excel export failed");
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  const fileName = `${t(prepared.title)}.xlsx`;
  return new Response(Readable.toWeb(output) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": XLSX,
      "content-disposition": `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "cache-control": "no-store",
    },
  });
}
