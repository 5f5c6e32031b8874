// The framework ceiling for `npm run bench`: the same build, the same request
// body read, no database. Answers only when the bench started the server.
export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  if (process.env.HUB_BENCH !== "1") return new Response("Not Found", { status: 404 });
  await request.text();
  return Response.json({ success: true });
}
