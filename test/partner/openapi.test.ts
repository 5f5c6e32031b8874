import { describe, expect, test } from "vitest";
import { z } from "zod";
import { GET } from "@/app/api/openapi.json/route";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { buildOpenApiDocument } from "@/server/partner/openapi";
import { oneOfEach } from "./messages";

// The published contract is generated from the schemas the handlers validate
// with; these tests hold it to the seed's fields and to those schemas.

type JsonSchema = { type?: string; required?: string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; minimum?: number };

const document = buildOpenApiDocument();
const requestSchema = (path: string) =>
  (document.paths[path]!.post.requestBody.content["application/json"].schema as JsonSchema);

// What each message cannot do without, read from the seed's tables.
const SEED_REQUIRED: Record<string, string[]> = {
  "/pos/ordermake": ["shopCode", "dispatchNO", "receiver", "phone", "address", "items"],
  "/pos/orderremove": ["dispatchNO"],
  "/pos/checkout": ["dispatchNO", "packages"],
  "/pos/refuse": ["dispatchNO"],
  "/pos/refund": ["shopCode", "sn"],
  "/pos/delivery/waybillchange": ["dispatchNO", "targetbillCode", "waybillCode"],
  "/oms/pushorder": ["shopCode", "dispatchNO", "receiver", "phone", "address", "items"],
  "/oms/orderremove": ["dispatchNO", "shopCode"],
  "/oms/delivery/package": ["dispatchNO", "transferCode", "packages"],
  "/oms/delivery/notice": ["dispatchNO", "transfers"],
  "/oms/receive": ["dispatchNO", "product", "color", "size"],
  "/oms/delivery/waybillchange": ["targetbillCode", "waybillCode"],
};

const sorted = (names: readonly string[] | undefined) => [...(names ?? [])].sort();

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
  return current;
}

/** Walks the zod schema and its JSON schema together; returns how many objects it compared. */
function compareRequired(zodSchema: z.ZodType, json: JsonSchema, at: string): number {
  const schema = unwrap(zodSchema);
  if (schema instanceof z.ZodArray) return compareRequired(schema.element as z.ZodType, json.items!, `${at}[]`);
  if (!(schema instanceof z.ZodObject)) return 0;
  const shape = schema.shape as Record<string, z.ZodType>;
  const required = Object.keys(shape).filter((key) => !shape[key]!.safeParse(undefined).success);
  expect(sorted(json.required), at).toEqual(sorted(required));
  return 1 + Object.keys(shape).reduce((n, key) => n + compareRequired(shape[key]!, json.properties![key]!, `${at}.${key}`), 0);
}

describe("buildOpenApiDocument", () => {
  test("lists exactly the 12 partner paths, all POST", () => {
    expect(Object.keys(document.paths).sort()).toEqual(Object.keys(SEED_REQUIRED).sort());
    expect(partnerEndpoints.map((e) => e.path).sort()).toEqual(Object.keys(SEED_REQUIRED).sort());
    for (const item of Object.values(document.paths)) expect(Object.keys(item)).toEqual(["post"]);
  });

  const byPath = partnerEndpoints.map((e) => [e.path, e] as const);
  test.each(byPath)("%s: required fields are the seed's and the validator's", (path, endpoint) => {
    const operation = document.paths[path]!.post;
    expect(operation.requestBody.required).toBe(true);
    expect(sorted(requestSchema(path).required)).toEqual(sorted(SEED_REQUIRED[path]));
    expect(compareRequired(endpoint.schema, requestSchema(path), path)).toBeGreaterThanOrEqual(1);
  });

  test("nested objects are compared too: ordered items, transfers, parcels, pieces", () => {
    const objectsCompared = partnerEndpoints.reduce((n, e) => n + compareRequired(e.schema, requestSchema(e.path), e.path), 0);
    // 12 messages; ordered items ×2; checkout parcels; parcels and pieces of a package; transfers, parcels and pieces of a notice.
    expect(objectsCompared).toBe(12 + 2 + 1 + 2 + 3);
    const item = requestSchema("/pos/ordermake").properties!.items!.items!;
    expect(item.properties!.qty).toMatchObject({ type: "integer", minimum: 1 });
  });

  test("each path says who may call it and every answer it can give", () => {
    for (const endpoint of partnerEndpoints) {
      const operation = document.paths[endpoint.path]!.post;
      expect(operation.security).toEqual([{ [`${endpoint.side}Token`]: [] }]);
      expect(Object.keys(operation.responses).sort()).toEqual(["200", "400", "401", "403", "413", "503"]);
    }
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(["omsToken", "posToken"]);
  });

  test("the bodies the partner suites send are valid by the published schemas' source", () => {
    const bodies = oneOfEach();
    for (const endpoint of partnerEndpoints) expect(endpoint.schema.safeParse(bodies[endpoint.path]).success, endpoint.path).toBe(true);
  });
});

test("GET /api/openapi.json serves the document", async () => {
  const response = GET();
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  const served = (await response.json()) as typeof document;
  expect(served.openapi).toMatch(/^3\./);
  expect(served).toEqual(JSON.parse(JSON.stringify(document)));
});
