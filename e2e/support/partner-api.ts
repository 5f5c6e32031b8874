import { expect } from "@playwright/test";
import { hubUrl, tokens } from "@/e2e/support/env";

// Data gets into the hub the way it does in production: POS and OMS calling
// the partner API over HTTP with their tokens.

/** POSTs a partner message (the side follows from the path) and expects it accepted. */
export async function callHub(path: string, body: unknown): Promise<void> {
  const token = path.startsWith("/pos/") ? tokens.hubPos : tokens.hubOms;
  const response = await fetch(`${hubUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect(`${path} → ${response.status} ${await response.text()}`).toBe(`${path} → 200 {"success":true}`);
}
