import { expect, test } from "vitest";
import { describeError } from "@/server/describe-error";

/** postgres.js's connection error as the driver makes it: a code, the address in the message, the statement attached. */
function connectionClosed() {
  const error = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });
  Object.defineProperty(error, "query", { value: "insert into deliveries values ($1)" });
  return error;
}

test("a connection error under drizzle's error says why: its code and message, not only the statement", () => {
  const drizzle = Object.assign(new Error("Failed query: insert into deliveries values ($1)\nparams: secret-value"), {
    query: "insert into deliveries values ($1)",
    params: ["secret-value"],
    cause: connectionClosed(),
  });
  const described = describeError(drizzle);
  expect(described[0]).toEqual({ name: "Error", query: "insert into deliveries values ($1)" });
  expect(described[1]).toEqual({ name: "Error", code: "CONNECTION_CLOSED", message: "write CONNECTION_CLOSED 127.0.0.1:5432" });
  expect(JSON.stringify(described)).not.toContain("secret-value");
});

test("a PostgreSQL error keeps its SQLSTATE and loses the values it quotes", () => {
  const error = Object.assign(new Error('invalid input syntax for type integer: "13800138000"'), { code: "22P02", routine: "pg_strtoint32" });
  expect(describeError(error)[0]).toMatchObject({ sqlstate: "22P02", message: 'invalid input syntax for type integer: "…"' });
});
