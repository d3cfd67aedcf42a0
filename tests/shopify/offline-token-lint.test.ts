// The lint check that keeps the staff member's online token away from Shopify (ADR 077, ADR 090): no code in app/ keeps or uses the admin client authenticate.admin returns or afterAuth is given, reads a session's accessToken outside the gateways, hands a session out whole, or reaches authenticate under another name.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: process.cwd() });
const ADR_077 =
  /^ADR 077: call Shopify with the shop's offline token through gatewayForShop|^ADR 090: (call Shopify through gatewayForShop|a Session row holds its access token)/;

/** The lines where the check refuses `code`, linted as if it were the file at `filePath`. */
async function refusedLines(code: string, filePath: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === "no-restricted-syntax" && ADR_077.test(m.message))
    .map((m) => m.line);
}

const SAMPLE = [
  'import { authenticate } from "../shopify.server";',
  "export async function loader({ request }: { request: Request }) {",
  "  const { admin, session } = await authenticate.admin(request);",
  '  await admin.graphql("{ shop { name } }");',
  "  const { admin: client } = await authenticate.admin(request);",
  "  const { cors, ...rest } = await authenticate.admin(request);",
  "  const context = await authenticate.admin(request);",
  "  const online = (await authenticate.admin(request)).admin;",
  "  const later = authenticate.admin(request).then((c) => c.admin);",
  "  return [session.shop, client, cors, rest, context, online, later];",
  "}",
].join("\n");

/** The staff member's token read from the session, and authenticate reached under other names. */
const OTHER_WAYS = [
  'import shopify, { authenticate as auth } from "../shopify.server";',
  'import * as server from "../shopify.server";',
  "export async function loader({ request }: { request: Request }) {",
  "  const { session } = await authenticate.admin(request);",
  "  const token = session.accessToken;",
  '  const same = session["accessToken"];',
  "  const { session: { accessToken } } = await authenticate.admin(request);",
  "  const { accessToken: online } = session;",
  "  const byAlias = await auth.admin(request);",
  "  const byDefault = await shopify.authenticate.admin(request);",
  "  const byNamespace = await server.authenticate.admin(request);",
  "  const { authenticate: taken } = shopify;",
  "  const kept = authenticate;",
  "  const signIn = authenticate.admin;",
  "  return [token, same, accessToken, online, byAlias, byDefault, byNamespace, taken, kept, signIn];",
  "}",
].join("\n");

/** A session handed out whole (its token with it), and the session store reached. */
const WHOLE_SESSION = [
  'import { json } from "@remix-run/node";',
  'import shopify, { sessionStorage } from "../shopify.server";',
  "export async function loader({ request }: { request: Request }) {",
  "  const { session } = await authenticate.admin(request);",
  "  const text = JSON.stringify(session);",
  "  const copy = { ...session };",
  "  console.log(session);",
  "  const keys = Object.keys(session);",
  "  const kept = session;",
  "  const { shop: at, ...others } = session;",
  "  const all = session.toObject();",
  "  for (const key in session) keys.push(key);",
  "  const { session: renamed } = await authenticate.admin(request);",
  "  const { session: { shop, ...rest } } = await authenticate.admin(request);",
  "  const store = shopify.sessionStorage;",
  '  if (request.method === "HEAD") return json(session);',
  "  return { session, text, copy, keys, kept, at, others, all, renamed, shop, rest, store, sessionStorage };",
  "}",
].join("\n");

/** The admin client shopify.server.ts's afterAuth is given (the staff member's online token). */
const AFTER_AUTH = [
  'import { shopifyApp } from "@shopify/shopify-app-remix/server";',
  "export const taken = shopifyApp({",
  "  hooks: {",
  "    afterAuth: async ({ session, admin }) => {",
  '      await admin.graphql("{ shop { name } }");',
  "      return session.shop;",
  "    },",
  "  },",
  "});",
  "export const whole = shopifyApp({ hooks: { afterAuth: async (context) => context } });",
  "export const rest = shopifyApp({ hooks: { afterAuth: async ({ session, ...more }) => more } });",
  "export const handed = shopifyApp({ hooks: { afterAuth: signedIn } });",
  "export const method = shopifyApp({ hooks: { async afterAuth({ admin: client }) { return client; } } });",
  "async function signedIn(context: unknown) { return context; }",
].join("\n");

/** A Session row read whole (its token with it), by a query without select or through the table kept. */
const SESSION_ROWS = [
  'import type { Db } from "../db/client.server";',
  "export async function rows(db: Db, tx: Db, deps: { db: Db }, shop: string) {",
  "  const all = await db.session.findMany({ where: { shop } });",
  '  const one = await db.session.findFirst({ where: { shop }, orderBy: { expires: "desc" } });',
  "  const byId = await db.session.findUniqueOrThrow({ where: { id: shop } });",
  "  const any = await tx.session.findFirst();",
  "  const args = { where: { shop }, select: { shop: true } };",
  "  const unseen = await deps.db.session.findMany(args);",
  '  const written = await db.session.update({ where: { id: shop }, data: { scope: "" } });',
  "  const table = db.session;",
  "  return [all, one, byId, any, unseen, written, table];",
  "}",
].join("\n");

/** The admin clients of the other authenticate calls and of unauthenticated.admin (offline tokens). */
const OFFLINE_CLIENTS = [
  'import { authenticate, unauthenticated as offline } from "../shopify.server";',
  "export async function action({ request }: { request: Request }) {",
  "  const { admin, payload } = await authenticate.webhook(request);",
  "  const { admin: proxied, liquid } = await authenticate.public.appProxy(request);",
  '  const { admin: client } = await unauthenticated.admin("a.myshopify.com");',
  '  const { session, ...rest } = await unauthenticated.admin("a.myshopify.com");',
  "  const hook = await authenticate.webhook(request);",
  "  const proxy = (await authenticate.public.appProxy(request)).admin;",
  '  const later = unauthenticated.admin("a.myshopify.com").then((c) => c.admin);',
  "  const kept = unauthenticated;",
  "  const signIn = unauthenticated.admin;",
  "  const receive = authenticate.webhook;",
  "  return [admin, payload, proxied, liquid, client, session.shop, rest, hook, proxy, later, kept, signIn, receive, offline];",
  "}",
].join("\n");

const ALLOWED = [
  'import { authenticate } from "../shopify.server";',
  'import { gatewayForShop } from "../gateways.server";',
  "export async function loader({ request }: { request: Request }) {",
  "  await authenticate.admin(request);",
  "  const { session, cors, redirect, sessionToken } = await authenticate.admin(request);",
  "  const gateway = await gatewayForShop(session.shop);",
  "  const { liquid } = await authenticate.public.appProxy(request);",
  "  if (!session) return null;",
  '  const { shop } = session, scope = session["scope"];',
  "  return { gateway, cors, redirect, sessionToken, liquid, shop, scope, by: staffName(session, sessionToken) };",
  "}",
  "export const app = shopifyApp({ hooks: { afterAuth: async ({ session }) => afterSignIn(session.shop) } });",
  "export function lockOf(calls: { session: string }[]) { return calls.map((c) => c.session); }",
  "export type Proxy = Awaited<ReturnType<typeof authenticate.public.appProxy>>;",
  'export const mocked = { authenticate: { admin: () => null }, accessToken: "shpat_test" };',
  "export async function webhook(request: Request, db: Db) {",
  "  const { topic, shop, payload } = await authenticate.webhook(request);",
  "  const shops = await db.session.findMany({ where: { shop }, select: { shop: true } });",
  "  const gone = await db.session.deleteMany({ where: { shop } });",
  "  return [topic, payload, shops, gone, await db.session.count()];",
  "}",
].join("\n");

describe("the check that Shopify is called with the shop's offline token (ADR 077)", () => {
  it("refuses taking, keeping or reading authenticate.admin's admin client, in a screen's route and in any other module of app/", async () => {
    for (const file of ["app/routes/app.example.tsx", "app/services/example.server.ts"]) {
      expect(await refusedLines(SAMPLE, file)).toEqual([3, 5, 6, 7, 8, 9]);
    }
  }, 60_000);

  it("refuses reading a session's accessToken outside the gateways, and authenticate taken under another name or through another binding", async () => {
    for (const file of ["app/routes/app.example.tsx", "app/services/example.server.ts"]) {
      expect(await refusedLines(OTHER_WAYS, file)).toEqual([1, 5, 6, 7, 8, 10, 11, 12, 13, 14]);
    }
  }, 60_000);

  it("refuses a session handed out whole (serialized, spread, logged, returned, kept under another name, looped over) and the session store reached, in a screen's route and in any other module of app/", async () => {
    for (const file of ["app/routes/app.example.tsx", "app/services/example.server.ts"]) {
      expect(await refusedLines(WHOLE_SESSION, file)).toEqual([
        2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
      ]);
    }
  }, 60_000);

  it("refuses the admin client afterAuth is given, taken by name, by ...rest, with its whole context, or by a function defined elsewhere, in shopify.server.ts and anywhere else in app/", async () => {
    for (const file of ["app/shopify.server.ts", "app/services/example.server.ts"]) {
      expect(await refusedLines(AFTER_AUTH, file)).toEqual([4, 10, 11, 12, 13]);
    }
  }, 60_000);

  it("refuses a Session row read without select, or the table kept, in any module of app/ and in the gateways", async () => {
    for (const file of [
      "app/services/example.server.ts",
      "app/routes/app.example.tsx",
      "app/gateways.server.ts",
      "app/shopify.server.ts",
    ]) {
      expect(await refusedLines(SESSION_ROWS, file)).toEqual([3, 4, 5, 6, 8, 9, 10]);
    }
  }, 60_000);

  it("refuses the admin client of authenticate.webhook, authenticate.public.appProxy and unauthenticated.admin outside the gateways, and these reached under another name", async () => {
    for (const file of ["app/routes/webhooks.example.tsx", "app/services/example.server.ts"]) {
      expect(await refusedLines(OFFLINE_CLIENTS, file)).toEqual([
        1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
      ]);
    }
    // The gateways take the offline session from unauthenticated.admin.
    expect(await refusedLines(OFFLINE_CLIENTS, "app/gateways.server.ts")).not.toContain(5);
  }, 60_000);

  it("lets a route take the session, cors, redirect and session token, and call Shopify through gatewayForShop", async () => {
    expect(await refusedLines(ALLOWED, "app/routes/app.example.tsx")).toEqual([]);
  }, 60_000);

  it("finds nothing in app/ as it stands", async () => {
    const files = readdirSync("app", { recursive: true, encoding: "utf8" })
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith(".d.ts"))
      .map((file) => join("app", file))
      .filter((file) =>
        /authenticate|accessToken|\bsession\b|afterAuth|sessionStorage|unauthenticated/.test(
          readFileSync(file, "utf8"),
        ),
      );
    expect(files.length).toBeGreaterThan(20);
    const results = await eslint.lintFiles(files);
    const refused = results.flatMap((r) =>
      r.messages.filter((m) => ADR_077.test(m.message)).map((m) => `${r.filePath}:${m.line}`),
    );
    expect(refused).toEqual([]);
  }, 120_000);
});
