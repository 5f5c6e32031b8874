import { buildOpenApiDocument } from "@/server/partner/openapi";

export const dynamic = "force-static";

export function GET() {
  return Response.json(buildOpenApiDocument());
}
