import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { alertAudit, alertRules } from "@/db/schema/alerts";
import { ruleKinds } from "@/lib/alert-rule-kinds";
import { ruleParamSchemas, ruleSettings } from "@/server/alerts/rule-settings";
import { HubError } from "@/server/errors";

/** The rules in force, each with who last changed it (null: never changed, running on its defaults). */
export async function listRules(db: Db) {
  const rows = await db.select().from(alertRules);
  const settings = ruleSettings(rows);
  return ruleKinds.map((rule) => {
    const row = rows.find((item) => item.rule === rule);
    return { ...settings[rule], updatedAt: row?.updatedAt ?? null, updatedBy: row?.updatedBy ?? null };
  });
}

export const ruleUpdateSchema = z.object({
  rule: z.enum(ruleKinds),
  enabled: z.boolean(),
  params: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Switches a rule and sets its thresholds (validated by the rule's schema in
 * alert-rules.ts), audited with before and after.
 * @throws HubError invalid_body naming the threshold that is wrong.
 */
export async function updateRule(db: Db, input: z.input<typeof ruleUpdateSchema>, actor: string) {
  const { rule, enabled, params } = ruleUpdateSchema.parse(input);
  const parsed = ruleParamSchemas[rule].safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HubError("invalid_body", `${issue.path.join(".") || rule}: ${issue.message}`);
  }
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(alertRules).where(eq(alertRules.rule, rule)).for("update");
    const values = { enabled, params: parsed.data as Record<string, unknown>, updatedAt: new Date(), updatedBy: actor };
    await tx.insert(alertRules).values({ rule, ...values }).onConflictDoUpdate({ target: alertRules.rule, set: values });
    await tx.insert(alertAudit).values({
      actor,
      entity: "rule",
      entityKey: rule,
      action: "update",
      before: before ? { enabled: before.enabled, params: before.params } : null,
      after: { enabled, params: parsed.data },
    });
  });
}
