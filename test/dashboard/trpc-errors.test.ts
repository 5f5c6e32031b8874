/**
 * The dashboard's tRPC endpoint under odd input (issue 9): every refusal is a
 * 4xx with a code, a readable message and a request id; no answer and no log
 * line carries SQL, parameters, a stack or a password hash.
 */
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { sql } from "drizzle-orm";
import superjson from "superjson";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/test/database";
import type { AppRouter } from "@/server/api/root";
import { captureLogForTests } from "@/server/log";
import { createUser } from "@/server/users/users";

const session = vi.hoisted(() => ({ current: null as { user: { id: string } } | null }));
vi.mock("@/auth", () => ({ auth: () => Promise.resolve(session.current) }));

// One search fails inside the database, as a statement error would, to show what an internal error looks like.
const failingTerm = "explode-in-database";
vi.mock("@/server/dashboard/search-notices", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/dashboard/search-notices")>();
  return {
    ...original,
    searchNotices: async (db: Parameters<typeof original.searchNotices>[0], input: Parameters<typeof original.searchNotices>[1]) => {
      if (input.term === failingTerm) {
        // A real driver error, wrapped by drizzle with the statement and its parameters.
        await db.execute(sql`select ${"secret-param-value"}::int`);
      }
      return original.searchNotices(db, input);
    },
  };
});

const { GET, POST } = await import("@/app/api/trpc/[trpc]/route");

const database = useTestDatabase();
const answers: { status: number; text: string; requestId: string | null }[] = [];

async function send(input: string | URL | Request, init?: RequestInit) {
  const request = new Request(input, init);
  const response = await (request.method === "GET" ? GET : POST)(request);
  answers.push({ status: response.status, text: await response.clone().text(), requestId: response.headers.get("x-request-id") });
  return response;
}

const client = createTRPCClient<AppRouter>({
  links: [httpLink({ url: "http://hub.test/api/trpc", transformer: superjson, fetch: send })],
});

/** Hallmarks of a leak: SQL keywords, drizzle's "params:", a bcrypt/argon2 hash, a stack frame, the failing value. */
// eslint-disable-next-line no-control-regex -- a NUL in an answer is one of the leaks looked for
const LEAK = /\bselect\b|\binsert\b|\bparams\b|\$2[aby]\$|\$argon2|\bat .+:\d+:\d+|secret-param-value|\u0000|\\u0000/i;

beforeAll(async () => {
  const admin = await createUser(database.db, { email: "admin@hub.test", password: "correct horse", role: "admin", createdBy: "test" });
  session.current = { user: { id: String(admin.id) } };
});

const captures: ReturnType<typeof captureLogForTests>[] = [];
const captureLog = () => captures[captures.push(captureLogForTests()) - 1]!;
afterEach(() => {
  vi.restoreAllMocks();
  captures.splice(0).forEach((capture) => capture.restore());
});

const nul = "a\u0000b";
const farPast = new Date(Date.UTC(-100_000, 0, 1));
const farFuture = new Date(Date.UTC(200_000, 0, 1));

const oddCalls: [string, () => Promise<unknown>][] = [
  ["NUL in a search term", () => client.notices.search.query({ term: nul })],
  ["NUL in a shop filter", () => client.notices.search.query({ shopCode: nul })],
  ["a created-from date 100 000 years ago", () => client.notices.search.query({ createdFrom: farPast })],
  ["a created-to date in the year 200 000", () => client.notices.search.query({ createdTo: farFuture })],
  ["an invalid date", () => client.notices.search.query({ createdFrom: new Date(Number.NaN) })],
  ["NUL in the exchange log's dispatchNO", () => client.logs.inbound.query({ dispatchNo: nul })],
  ["an out-of-range exchange log date", () => client.logs.outbound.query({ from: farPast })],
  ["NUL in a delivery filter", () => client.deliveries.list.query({ filter: { shopCode: nul } })],
  ["an out-of-range delivery date", () => client.deliveries.queueCounts.query({ createdTo: farFuture })],
  ["NUL in a new user's name", () => client.admin.createUser.mutate({ email: "nul@hub.test", name: nul, password: "long enough", role: "viewer" })],
  ["NUL in a new user's password", () => client.admin.createUser.mutate({ email: "nul2@hub.test", password: `long ${nul} enough`, role: "viewer" })],
  ["NUL in a manual action's note", () => client.deliveries.resolve.mutate({ selection: { ids: [1] }, note: nul })],
];

describe("odd input to the dashboard", () => {
  it.each(oddCalls)("%s is a 400 with a code, a message and a request id, and nothing leaks", async (_, call) => {
    const logged = captureLog();
    answers.length = 0;
    const error = await call().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TRPCClientError);
    const { data, message } = error as TRPCClientError<AppRouter>;
    expect(data?.httpStatus).toBe(400);
    expect(data?.code).toBe("BAD_REQUEST");
    expect(data?.requestId).toMatch(/^[\w-]{8,}$/);
    expect(message.length).toBeGreaterThan(0);
    const [answer] = answers;
    expect(answer!.status).toBe(400);
    expect(answer!.requestId).toBe(data?.requestId);
    expect(answer!.text).not.toMatch(LEAK);
    expect(logged.text()).not.toMatch(LEAK);
  });

  it("keeps a user with a NUL in the name out of the database", async () => {
    const users = await client.admin.users.query();
    expect(users.map((user) => user.email)).toEqual(["admin@hub.test"]);
  });
});

describe("an internal error", () => {
  it("reaches the browser as a code, a sentence and a request id; the log has the statement without parameters", async () => {
    const logged = captureLog();
    answers.length = 0;
    const error = (await client.notices.search.query({ term: failingTerm }).catch((caught: unknown) => caught)) as TRPCClientError<AppRouter>;
    expect(error.data?.httpStatus).toBe(500);
    expect(error.data?.code).toBe("INTERNAL_SERVER_ERROR");
    const requestId = error.data?.requestId;
    expect(error.message).toBe(`服务器内部错误，已记录（请求编号 ${requestId}）`);
    expect(answers[0]!.text).not.toMatch(LEAK);
    expect(answers[0]!.text).not.toContain("stack");

    const line = logged.lines.map((entry) => JSON.stringify(entry)).find((text) => text.includes(requestId!));
    expect(line).toBeDefined();
    expect(line).toContain("select $1::int");
    expect(line).toContain("22P02"); // invalid_text_representation: the SQLSTATE is kept
    expect(line).not.toContain("secret-param-value");
  });
});

describe("request limits", () => {
  it("refuses a batch of more than 20 calls with a 400", async () => {
    const paths = Array.from({ length: 21 }, () => "admin.me").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [i, { json: null }]))));
    const response = await send(`http://hub.test/api/trpc/${paths}?batch=1&input=${input}`);
    expect(response.status).toBe(400);
    const within = Array.from({ length: 20 }, () => "admin.me").join(",");
    const inputWithin = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { json: null }]))));
    expect((await send(`http://hub.test/api/trpc/${within}?batch=1&input=${inputWithin}`)).status).toBe(200);
  });

  it("refuses a body over 4 MiB with a 413 before reading all of it", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 64) controller.close(); // 16 MiB if read to the end
        else controller.enqueue(chunk);
      },
    });
    const response = await send("http://hub.test/api/trpc/admin.createUser", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(24);
  });
});
