// Push to other systems in Chromium, against a real receiver: an https server on this machine with
// its own certificate (the app is told to trust it, and runs as production does, with
// PUSH_ALLOW_PRIVATE_ADDRESSES since the receiver is inside the network) that checks each push's
// HMAC with the secret the merchant copied from the screen. The merchant sets the address; a
// decision's push is answered 500 twice and taken on the third try; after the secret is rotated the
// receiver refuses pushes until it has the new one and the retries then get through, and the next
// push is taken at its first try; "Send again"
// sends a delivered push anew, signed with the secret of now. The delivery log shows each push's
// status and last answer (screenshots kept).
import { execFileSync } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import {
  browserTest,
  expect,
  installApp,
  keepScreenshot,
  openApp,
  startStack,
  toast,
  waitFor,
  type PlacedOrder,
  type Stack,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { PUSH_TITLE, pushLogShows, pushRow } from "./support/push-log.ts";

const HMAC_HEADER = "x-fulfilment-router-hmac-sha256";
const DELIVERY_HEADER = "x-fulfilment-router-delivery-id";

interface Received {
  delivery: string;
  orderName: string | null;
  valid: boolean;
  status: number;
}

/** The merchant's system: checks the signature with the secret it was given, answers as told. */
class Receiver {
  server!: Server;
  url = "";
  caFile = "";
  secret = "";
  /** Answers each push (by its delivery id) with 500 this many times before it takes it. */
  failEach = 0;
  received: Received[] = [];
  private dir = mkdtempSync(join(tmpdir(), "push-receiver-"));

  async start() {
    // A certificate of its own for 127.0.0.1, as a system on the merchant's network would have.
    const key = join(this.dir, "key.pem");
    this.caFile = join(this.dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        this.caFile,
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    this.server = createServer(
      { key: readFileSync(key), cert: readFileSync(this.caFile) },
      async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        const delivery = String(req.headers[DELIVERY_HEADER] ?? "");
        const valid = this.verify(body, req.headers[HMAC_HEADER]);
        const tries = this.received.filter((r) => r.delivery === delivery && r.valid).length;
        const status = !valid ? 401 : tries < this.failEach ? 500 : 200;
        let orderName: string | null = null;
        try {
          orderName =
            (JSON.parse(body.toString("utf8")) as { order?: { name?: string } }).order?.name ??
            null;
        } catch {
          // Not JSON: refused by its signature or answered all the same.
        }
        this.received.push({ delivery, orderName, valid, status });
        res.writeHead(status).end();
      },
    );
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/orders`;
  }

  private verify(body: Buffer, header: string | string[] | undefined): boolean {
    if (typeof header !== "string" || !this.secret) return false;
    const expected = createHmac("sha256", this.secret).update(body).digest();
    const given = Buffer.from(header, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  for(order: PlacedOrder): Received[] {
    return this.received.filter((r) => r.orderName === order.name);
  }

  async stop() {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Vitest reads a fixture's dependencies from its first parameter's pattern: `{}` is "none".
const test = browserTest
  // eslint-disable-next-line no-empty-pattern
  .extend("receiver", { scope: "file" }, async ({}, { onCleanup }): Promise<Receiver> => {
    const receiver = new Receiver();
    await receiver.start();
    onCleanup(() => receiver.stop());
    return receiver;
  })
  .extend("stack", { scope: "file" }, async ({ receiver }, { onCleanup }): Promise<Stack> => {
    const stack = await startStack({
      appEnv: { PUSH_ALLOW_PRIVATE_ADDRESSES: "true", NODE_EXTRA_CA_CERTS: receiver.caFile },
    });
    onCleanup(() => stack.stop());
    return stack;
  })
  .extend("appOutput", { auto: true }, async ({ stack, onTestFailed }) => {
    onTestFailed(() => console.log(`App server output:\n${stack.app.output().slice(-20_000)}`));
    return undefined;
  });

test.beforeAll(async ({ stack, browser }) => {
  await installApp(browser, stack);
});

/** How the app's i18next picks an English sentence for a count: "one" or "other". */
const ENGLISH_PLURAL = new Intl.PluralRules("en");

/**
 * A push's status and last answer in the log, in the catalogue's words: the sentence the app's
 * i18next picks for `attempts` by English plural rules ("1 attempt", "3 attempts"), or either of
 * them for any number when the test cannot know it.
 */
function logLine(status: "delivered" | "pending", answer: number, attempts?: number): RegExp {
  const forms = attempts === undefined ? ["one", "other"] : [ENGLISH_PLURAL.select(attempts)];
  const tries = forms.map((form) =>
    englishPattern(`fulfill.push.answer_${form}`, { answer, count: attempts ?? /\d+/ }),
  );
  return new RegExp(
    `${englishPattern(`fulfill.push.statusName.${status}`)}[\\s\\S]*(?:${tries.join("|")})`,
  );
}

/** Places a paid order of one `sku` and waits until the receiver has taken its push (a 200). */
async function paidOrderPushTaken(
  stack: Stack,
  receiver: Receiver,
  sku: string,
): Promise<PlacedOrder> {
  const order = await stack.createOrder({ payment: "paid", lineItems: [{ sku, quantity: 1 }] });
  await waitFor(
    `the push for ${order.name} to be taken`,
    async () => receiver.for(order),
    (got) => got.some((r) => r.status === 200),
    90_000,
  );
  return order;
}

const secretShown = (tab: Page) => tab.getByTestId("push-secret").innerText();

test.describe("push to other systems", () => {
  test("set an address, a push retried after 500s, a rotated secret, and send again", async ({
    stack,
    receiver,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/push", PUSH_TITLE);
    await tab.getByRole("textbox", { name: english("fulfill.push.url") }).fill(receiver.url);
    await tab
      .getByRole("combobox", { name: english("fulfill.push.eventsLabel") })
      .selectOption("decisions");
    await tab.getByRole("button", { name: english("fulfill.push.add") }).click();
    await toast(tab, english("fulfill.push.done.added")).waitFor({ timeout: 30_000 });
    await tab.getByText(receiver.url, { exact: true }).waitFor();

    // The merchant copies the secret into their system.
    await tab.getByRole("button", { name: english("fulfill.push.show") }).click();
    const first = await secretShown(tab);
    expect(first).toMatch(/^\S{32,}$/);
    receiver.secret = first;

    // A decision's push: refused with 500 twice, taken on the third try, same delivery each time.
    receiver.failEach = 2;
    const one = await paidOrderPushTaken(stack, receiver, "PRINT-MATTE-A4");
    const tries = receiver.for(one);
    expect(tries.map((r) => r.status).slice(0, 3)).toEqual([500, 500, 200]);
    expect(new Set(tries.map((r) => r.delivery)).size).toBe(1);
    await pushLogShows(tab, stack, one, logLine("delivered", 200, 3));
    await keepScreenshot(tab, "push-delivered-after-500s");
    receiver.failEach = 0;

    // Rotating: every push from now on is signed with the new secret only.
    await tab.getByRole("button", { name: english("fulfill.push.rotate") }).click();
    await tab.getByRole("button", { name: english("fulfill.push.rotateConfirm") }).click();
    await toast(tab, english("fulfill.push.done.rotated")).waitFor({ timeout: 30_000 });
    await expect.poll(() => secretShown(tab)).not.toBe(first);
    const second = await secretShown(tab);
    expect(second).toMatch(/^\S{32,}$/);

    // The receiver still has the old secret: it refuses the next push, and the app tries again.
    const two = await stack.createOrder({
      payment: "paid",
      lineItems: [{ sku: "PRINT-LUSTRE-A4", quantity: 1 }],
    });
    await waitFor(
      `the push for ${two.name} to be refused`,
      async () => receiver.for(two),
      (got) => got.length >= 2 && got.every((r) => r.status === 401),
      90_000,
    );
    await pushLogShows(tab, stack, two, logLine("pending", 401));
    await keepScreenshot(tab, "push-refused-after-rotation");

    // Given the new secret, the receiver takes the push on the app's next try.
    receiver.secret = second;
    await pushLogShows(tab, stack, two, logLine("delivered", 200));
    expect(receiver.for(two).at(-1)).toMatchObject({ valid: true, status: 200 });

    // With the secret it now has and nothing to refuse, the receiver takes the next lab print's push
    // at its first try: one request, and the log says so in the singular ("1 attempt").
    const three = await paidOrderPushTaken(stack, receiver, "PRINT-MATTE-A3");
    expect(receiver.for(three)).toEqual([expect.objectContaining({ valid: true, status: 200 })]);
    await pushLogShows(tab, stack, three, logLine("delivered", 200, 1));
    await keepScreenshot(tab, "push-delivered-first-try");

    // "Send again" sends the first, delivered push anew: same delivery, signed with the secret of now.
    const before = receiver.for(one).length;
    await pushRow(tab, one)
      .getByRole("button", { name: english("fulfill.push.sendAgainFor", { order: one.name }) })
      .click();
    await toast(tab, english("fulfill.push.done.sent")).waitFor({ timeout: 30_000 });
    await waitFor(
      `the push for ${one.name} to arrive again`,
      async () => receiver.for(one),
      (got) => got.length > before,
      90_000,
    );
    const again = receiver.for(one).at(-1)!;
    expect(again).toMatchObject({ delivery: tries[0]!.delivery, valid: true, status: 200 });
    await pushLogShows(tab, stack, one, logLine("delivered", 200));
    await keepScreenshot(tab, "push-sent-again");
  });
});
