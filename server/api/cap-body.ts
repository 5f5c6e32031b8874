/**
 * Reads a request body up to a byte limit, so one dashboard call cannot make
 * the server hold megabytes (issue 9: "a body cap on tRPC requests"). The
 * fetch adapter of tRPC has no `maxBodySize` of its own (only the Node one has).
 */

export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
    this.name = "BodyTooLarge";
  }
}

/**
 * Returns a copy of `req` whose body is fully read (at most `limitBytes`
 * bytes). Throws BodyTooLarge as soon as the declared Content-Length or the
 * bytes read so far pass the limit; the rest of the stream is cancelled.
 */
export async function withCappedBody(req: Request, limitBytes: number): Promise<Request> {
  if (!req.body) return req;
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limitBytes) {
    await req.body.cancel().catch(() => {});
    throw new BodyTooLarge(limitBytes);
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(limitBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}
