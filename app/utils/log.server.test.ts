// Structured log lines: one JSON object per event, with the shop and order, and never a credential.
import { afterEach, describe, expect, it } from "vitest";
import { logEvent, setLogSink } from "./log.server";

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe("logEvent", () => {
  it("writes one JSON line per event with its shop and order ids", () => {
    const lines: string[] = [];
    restore = setLogSink((line) => lines.push(line));
    logEvent("warn", "job.failed", { shop: "a.myshopify.com", orderId: "gid://shopify/Order/1" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: "warn",
      event: "job.failed",
      shop: "a.myshopify.com",
      orderId: "gid://shopify/Order/1",
    });
  });

  it("never writes an access token, by field name or inside a message", () => {
    const lines: string[] = [];
    restore = setLogSink((line) => lines.push(line));
    logEvent("error", "job.failed", {
      shop: "a.myshopify.com",
      accessToken: "shpat_0123456789abcdef",
      session: { accessToken: "shpua_secret", refreshToken: "shprt_x" },
      error: new Error("Shopify refused shpat_0123456789abcdef (401)"),
      headers: { "X-Shopify-Access-Token": "anything", Authorization: "Bearer abc.def" },
    });
    expect(lines[0]).not.toMatch(/shpat_|shpua_|shprt_|anything|abc\.def/);
    expect(JSON.parse(lines[0]!).error).toBe("Shopify refused [redacted] (401)");
  });
});
