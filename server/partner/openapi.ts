import { z } from "zod";
import { partnerEndpoints } from "@/server/contract/endpoints";
import { partnerAnswer } from "@/server/contract/messages";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/PartnerAnswer" } } },
});

const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "openapi-3.0", io: "input" });

/** The partner contract, generated from the schemas the handlers validate with. */
export function buildOpenApiDocument() {
  const paths = Object.fromEntries(
    partnerEndpoints.map((endpoint) => [
      endpoint.path,
      {
        post: {
          summary: endpoint.schema.description,
          tags: [endpoint.side === "pos" ? "POS → OMS" : "OMS → POS"],
          security: [{ [`${endpoint.side}Token`]: [] }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: toSchema(endpoint.schema) } },
          },
          responses: {
            200: errorResponse('Accepted ({"success":true}) or refused by a business rule ({"success":false,"msg":…})'),
            400: errorResponse("Malformed JSON or a field missing, of the wrong type or out of limits; msg names it"),
            401: errorResponse("No or unknown bearer token"),
            403: errorResponse("Token of the other side, or limited to other shops"),
            413: errorResponse("Body larger than 1 MiB"),
            503: errorResponse("The hub cannot store the call right now; retry"),
          },
        },
      },
    ]),
  );
  return {
    openapi: "3.0.3",
    info: {
      title: "Dispatch hub — POS ↔ OMS partner API",
      version: "1.0.0",
      description:
        "Both systems call the hub instead of each other. Each accepted call is forwarded to the other side under the same path. " +
        "A repeat of a call (same side, path and body) returns the first answer and changes nothing.",
    },
    paths,
    components: {
      schemas: { PartnerAnswer: toSchema(partnerAnswer) },
      securitySchemes: {
        posToken: { type: "http", scheme: "bearer", description: "Token issued to the stores' POS" },
        omsToken: { type: "http", scheme: "bearer", description: "Token issued to the OMS" },
      },
    },
  };
}
