import { checkReadiness } from "@/server/health";

export const dynamic = "force-dynamic";

/** Readiness: 200 when the database, its migrations and this process's worker are fine; 503 naming what is not. */
export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.ok ? 200 : 503 });
}
