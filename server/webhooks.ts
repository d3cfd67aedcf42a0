// Webhook deliveries answered from Node's own request, ahead of Hono and Remix: the action of each
// intake route of the build carries `intake` (app/webhooks/intake.server.ts), which takes the
// method, path, a header lookup and the body, so a delivery costs no Fetch Request, Headers, body
// stream or Response, only what verifying and storing it needs.
//
// Why: at a thousand deliveries a second and more, building those objects for every delivery cost
// about as much CPU as verifying and storing it (issue 15; ADR 006). The function called is the
// one the route's Remix action calls, from the same build, so the answers and rows are the same.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import type { ServerBuild } from "@remix-run/node";

export const WEBHOOK_PREFIX = "/webhooks/";

/** Remix ignores one trailing slash and, unless a route says otherwise, letter case. */
export function routeKey(pathname: string): string {
  const trimmed = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return trimmed.toLowerCase();
}

/**
 * The fixed webhook routes of a build, by path, mapped to what `pick` takes from their module:
 * top-level routes under /webhooks/ with a path of their own (every `app/routes/webhooks.*.tsx`).
 */
export function webhookRoutes<T>(
  build: ServerBuild,
  pick: (module: Record<string, unknown>) => T | undefined,
): Map<string, T> {
  const found = new Map<string, T>();
  for (const route of Object.values(build.routes)) {
    if (!route || route.parentId !== "root" || !route.path) continue;
    const path = `/${route.path}`;
    // A dynamic segment or a case-sensitive route would need Remix's own matching.
    if (!path.startsWith(WEBHOOK_PREFIX) || /[:*$]/.test(path) || route.caseSensitive) continue;
    const picked = pick(route.module as unknown as Record<string, unknown>);
    if (picked !== undefined) found.set(routeKey(path), picked);
  }
  return found;
}

/** A request as the intake reads it (app/webhooks/intake.server.ts `IntakeRequest`). */
export interface IntakeRequest {
  method: string;
  pathname: string;
  header(name: string): string | null | undefined;
  body(limit: number): Promise<Uint8Array | null>;
}

/** The intake's answer: a status and, for a refusal, why. */
export type Intake = (request: IntakeRequest) => Promise<{ status: number; message?: string }>;

/** Routes whose action carries `intake` (app/webhooks/intake.server.ts `intakeAction`): the ones that only verify and store. */
export function webhookIntakes(build: ServerBuild): Map<string, Intake> {
  return webhookRoutes(build, (module) => {
    const intake = (module.action as { intake?: unknown } | undefined)?.intake;
    return typeof intake === "function" ? (intake as Intake) : undefined;
  });
}

/** Thrown when the sender went away before the whole body came: there is no one to answer. */
class BodyAborted extends Error {}

/**
 * How much of a refused body is still read and dropped after the answer is known. A sender writes
 * the whole body before it reads the answer (Shopify, and a proxy or load balancer in front of the
 * app), so a connection closed under it arrives as a reset, which a proxy answers 502, not as our
 * 413. A body longer than this is cut off: the connection closes after the answer. The Remix
 * routes drop as much (app/webhooks/body.server.ts, which this folder cannot import; a test holds
 * the two equal).
 */
export const DROP_AT_MOST_BYTES = 32 * 1024 * 1024;

/**
 * The body, or null when it is (or announces to be) longer than `limit`: a declared length over
 * it is refused before a byte is read, and a longer stream stops being kept where it passes it
 * (what follows is the caller's to drop, `dropRest`).
 */
export function readNodeBody(request: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onAbort);
      request.off("close", onAbort);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        request.pause();
        resolve(null);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onAbort = () => {
      stop();
      reject(new BodyAborted("The sender closed the connection before the body ended"));
    };
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onAbort);
    request.once("close", onAbort);
  });
}

/** What became of a body's unread rest: read to its end, longer than we drop, or the sender left. */
export type Rest = "ended" | "too long" | "aborted";

/**
 * Reads and drops what is left of a request's body (the part over the limit, or a body refused
 * before it was read), so that the sender gets to read the answer and the connection can carry the
 * next request. A declared length over `atMost` is not read at all.
 */
export function dropRest(request: IncomingMessage, atMost: number): Promise<Rest> {
  if (request.readableEnded) return Promise.resolve("ended");
  if (request.destroyed) return Promise.resolve("aborted");
  if (Number(request.headers["content-length"]) > atMost) return Promise.resolve("too long");
  return new Promise((resolve) => {
    let dropped = 0;
    const finish = (rest: Rest) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onAbort);
      request.off("close", onAbort);
      resolve(rest);
    };
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > atMost) {
        request.pause();
        finish("too long");
      }
    };
    const onEnd = () => finish("ended");
    const onAbort = () => finish("aborted");
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onAbort);
    request.once("close", onAbort);
    request.resume();
  });
}

function send(response: ServerResponse, status: number, message?: string, close = false): void {
  if (response.headersSent || response.destroyed) return;
  // The rest of the body will not be read: the connection cannot carry another request.
  if (close) response.shouldKeepAlive = false;
  if (message === undefined) {
    response.writeHead(status, { "Content-Length": "0" });
    response.end();
    return;
  }
  const bytes = Buffer.from(message);
  // The headers a Fetch Response with a text body gets, as the Remix route answers.
  response.writeHead(status, {
    "Content-Type": "text/plain;charset=UTF-8",
    "Content-Length": String(bytes.length),
  });
  response.end(bytes);
}

/**
 * Answers once the request's body is over: right away when intake read it all (every accepted
 * delivery), after dropping the rest otherwise (over the limit, or refused before reading it).
 */
function answer(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message?: string,
) {
  if (request.readableEnded) {
    send(response, status, message);
    return;
  }
  void dropRest(request, DROP_AT_MOST_BYTES).then((rest) => {
    if (rest === "aborted") response.destroy();
    else send(response, status, message, rest === "too long");
  });
}

/**
 * A request listener that also knows whether the sender waits for a 100 Continue before it sends
 * the body (with a `checkContinue` listener, Node leaves that answer to us).
 */
type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  awaitsContinue: boolean,
) => void;

/**
 * Answers POSTs to an intake route itself and passes every other request to `next`. A sender
 * waiting for a 100 Continue gets it only when intake reads the body.
 */
function webhooksFirst(build: ServerBuild, next: RequestListener): Handler {
  const intakes = webhookIntakes(build);
  return (request, response, awaitsContinue) => {
    const pathname =
      request.method === "POST" ? new URL(request.url ?? "/", "http://localhost").pathname : "";
    const intake = pathname ? intakes.get(routeKey(pathname)) : undefined;
    if (!intake) {
      if (awaitsContinue) response.writeContinue();
      next(request, response);
      return;
    }
    let continuePending = awaitsContinue;
    intake({
      method: "POST",
      pathname,
      // Node lowercases header names and joins repeated ones with ", ", as Headers.get does.
      header: (name) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(", ") : value;
      },
      body: (limit) => {
        if (continuePending) {
          // Refused before the sender spends the bytes: it waits for our 100 and gets the 413.
          if (Number(request.headers["content-length"]) > limit) return Promise.resolve(null);
          response.writeContinue();
          continuePending = false;
        }
        return readNodeBody(request, limit);
      },
    }).then(
      ({ status, message }) => {
        // A sender still waiting for its 100 Continue sends no body: nothing to drop, and nothing
        // on this connection a next request could follow reliably.
        if (continuePending) send(response, status, message, true);
        else answer(request, response, status, message);
      },
      (error: unknown) => {
        if (error instanceof BodyAborted) {
          response.destroy();
          return;
        }
        // Shopify retries a 5xx; the delivery was not stored (it is acknowledged only once it is).
        console.error(error);
        if (continuePending) send(response, 500, undefined, true);
        else answer(request, response, 500);
      },
    );
  };
}

/**
 * The production server: POSTs to an intake route are answered from Node's request itself, every
 * other request goes to `next` (the Hono app, and through it Remix). A delivery sent with
 * `Expect: 100-continue` is told 413 before it sends a body declared over the limit.
 */
export function webhooksFirstServer(build: ServerBuild, next: RequestListener): Server {
  const handle = webhooksFirst(build, next);
  const server = createServer((request, response) => handle(request, response, false));
  server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) =>
    handle(request, response, true),
  );
  return server;
}
