import { sql } from "drizzle-orm";
import superjson from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { COUNT_BOUND } from "@/lib/bounded-count";
import { PREVIEW_CHARS } from "@/server/dashboard/keyset";
import type { Role } from "@/lib/states";
import { createUser, type SessionUser } from "@/server/users/users";
import { useTestDatabase } from "@/test/database";

// Issue 9: one exchange-log page of 200 rows was 160 MB after partners sent
// large bodies. A list row now carries the first characters of each body (cut
// in SQL) and its size; the whole body comes when a person opens the row,
// phones masked for viewers. Pages follow each other by keyset, totals stop at
// "10 000+".

const database = useTestDatabase();
const people = {} as Record<Role, SessionUser>;
const callerAs = (role: Role) => createCaller({ db: database.db, user: people[role] });
const MIB = 1024 * 1024;
const BIG_CALLS = 205;

beforeAll(async () => {
  for (const role of ["viewer", "operator"] as const) {
    const user = await createUser(database.db, { email: `${role}@hub.test`, password: "correct horse", role, createdBy: "test" });
    people[role] = { id: user.id, email: user.email, name: null, role };
  }
  // 205 calls of a little over 1 MiB each, a phone at the start of every body.
  await database.db.execute(sql`
    insert into exchanges (id, received_at, side, path, headers, request_body, response_status, response_body, duration_ms, outcome, dispatch_no)
    select gen_random_uuid(), now() - i * interval '1 second', 'oms', '/oms/delivery/package', '{}'::jsonb,
      '{"receiverPhone":"13812345678","note":"' || repeat(md5(i::text), ${MIB / 32}) || '"}',
      200, '{"success":true}'::jsonb, 5, 'accepted', 'DN-BIG-' || i
    from generate_series(1, ${BIG_CALLS}) as i`);
});

describe("the exchange log with 1 MiB bodies", () => {
  it("a 200-row page stays small: bodies cut to their first characters, with their size", async () => {
    const page = await callerAs("viewer").logs.inbound({ pageSize: 200 });
    expect(page.rows).toHaveLength(200);
    const bytes = Buffer.byteLength(JSON.stringify(superjson.serialize(page)));
    // 200 bodies of 1 MiB were 200 MiB in one answer; now ~2 KB a row.
    expect(bytes).toBeLessThan(200 * (PREVIEW_CHARS + 1_000));
    for (const row of page.rows) {
      expect(row.requestPreview.length).toBe(PREVIEW_CHARS);
      expect(row.requestBytes).toBeGreaterThan(MIB);
    }
    expect(JSON.stringify(page)).not.toContain("13812345678");
  });

  it("pages by keyset: the next page starts after the last row shown, no row twice or missed", async () => {
    const first = await callerAs("viewer").logs.inbound({ pageSize: 200, path: "/oms/delivery/package" });
    expect(first.nextCursor).not.toBeNull();
    const second = await callerAs("viewer").logs.inbound({ pageSize: 200, path: "/oms/delivery/package", cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    const ids = [...first.rows, ...second.rows].map((row) => row.dispatchNo);
    expect(new Set(ids).size).toBe(BIG_CALLS);
    // Newest first: DN-BIG-1 was received last.
    expect(ids.slice(0, 2)).toEqual(["DN-BIG-1", "DN-BIG-2"]);
    expect(ids.at(-1)).toBe(`DN-BIG-${BIG_CALLS}`);
    expect(await callerAs("viewer").logs.inboundCount({ path: "/oms/delivery/package" })).toEqual({ count: BIG_CALLS, more: false });
  });

  it("loads the whole body when a person opens a call: masked for a viewer, whole for an operator", async () => {
    const [row] = (await callerAs("viewer").logs.inbound({ pageSize: 1 })).rows;
    const asViewer = await callerAs("viewer").logs.inboundCall({ id: row!.id });
    expect(Buffer.byteLength(asViewer.requestBody)).toBe(row!.requestBytes);
    expect(asViewer.requestBody).toContain('"receiverPhone":"138****5678"');
    expect(asViewer.requestBody).not.toContain("13812345678");
    const asOperator = await callerAs("operator").logs.inboundCall({ id: row!.id });
    expect(asOperator.requestBody).toContain('"receiverPhone":"13812345678"');
    await expect(callerAs("viewer").logs.inboundCall({ id: "00000000-0000-7000-8000-000000000000" })).rejects.toThrow(/no call/);
  });

  it("counts up to a bound: past 10 000 calls the total says 10 000+", async () => {
    await database.db.execute(sql`
      insert into exchanges (id, received_at, side, path, headers, request_body, response_status, response_body, duration_ms, outcome)
      select gen_random_uuid(), now() - interval '1 hour' - i * interval '1 millisecond', 'pos', '/pos/refund', '{}'::jsonb, '{}', 200, '{}'::jsonb, 1, 'accepted'
      from generate_series(1, ${COUNT_BOUND + 1}) as i`);
    expect(await callerAs("viewer").logs.inboundCount({ path: "/pos/refund" })).toEqual({ count: COUNT_BOUND, more: true });
  });
});
