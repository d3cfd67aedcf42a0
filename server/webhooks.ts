// Webhook deliveries answered from Node's own request, ahead of Hono and Remix: the action of each
// intake route of the build carries `intake` (app/webhooks/intake.server.ts), which takes the
// method, path, a header lookup and the body, so a delivery costs no Fetch Request, Headers, body
// stream or Response, only what verifying and storing it needs.
//
// Why: at a thousand deliveries a second and more, building those objects for every delivery cost
// about as much CPU as verifying and storing it (issue 15; ADR 006). The function called is the
// one the route's Remix action calls, from the same build, so the answers and rows are the same.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
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
 * The body, or null when it is (or announces to be) longer than `limit`: a declared length over
 * it is refused before a byte is read, and a longer stream is cut off where it passes it.
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

function send(response: ServerResponse, status: number, message?: string, close = false): void {
  if (response.headersSent || response.destroyed) return;
  // A body left unread (over the limit) is not drained: the connection closes after the answer.
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
 * A Node request listener that answers POSTs to an intake route itself and passes every other
 * request to `next` (the Hono app, and through it Remix).
 */
export function webhooksFirst(build: ServerBuild, next: RequestListener): RequestListener {
  const intakes = webhookIntakes(build);
  return (request, response) => {
    const pathname =
      request.method === "POST" ? new URL(request.url ?? "/", "http://localhost").pathname : "";
    const intake = pathname ? intakes.get(routeKey(pathname)) : undefined;
    if (!intake) {
      next(request, response);
      return;
    }
    let unread = false;
    intake({
      method: "POST",
      pathname,
      // Node lowercases header names and joins repeated ones with ", ", as Headers.get does.
      header: (name) => {
        const value = request.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(", ") : value;
      },
      body: async (limit) => {
        const body = await readNodeBody(request, limit);
        unread = body === null;
        return body;
      },
    }).then(
      ({ status, message }) => send(response, status, message, unread),
      (error: unknown) => {
        if (error instanceof BodyAborted) {
          response.destroy();
          return;
        }
        // Shopify retries a 5xx; the delivery was not stored (it is acknowledged only once it is).
        console.error(error);
        send(response, 500, undefined, unread);
      },
    );
  };
}
