import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/unavailable";

/** Healthy once the database answers; getDb() only resolves after migrations ran. */
export async function checkHealth(): Promise<{ ok: boolean; error?: string }> {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: isDatabaseUnavailable(error) ? "database unavailable" : "database not ready" };
  }
}
