import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, TOAST_STYLE_HASHES } from "@/server/content-security-policy";

describe("contentSecurityPolicy", () => {
  it("allows the installed sonner's inserted style sheet by its hash, and no other inline style", () => {
    const source = readFileSync(createRequire(import.meta.url).resolve("sonner").replace(/index\.js$/, "index.mjs"), "utf8");
    const literal = /__insertCSS\((".*?")\);\n/s.exec(source)?.[1];
    expect(literal).toBeDefined();
    const hash = createHash("sha256").update(JSON.parse(literal!) as string, "utf8").digest("base64");
    expect(TOAST_STYLE_HASHES).toContain(`sha256-${hash}`);
    const styleSrc = contentSecurityPolicy("abc").split("; ").find((part) => part.startsWith("style-src "));
    expect(styleSrc).toBe(`style-src 'self' 'nonce-abc' ${TOAST_STYLE_HASHES.map((h) => `'${h}'`).join(" ")}`);
    expect(styleSrc).not.toContain("unsafe-inline");
  });
});
