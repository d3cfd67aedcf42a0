// One HTTP POST whose whole answer is read within a time limit, over node:http with kept-alive connections: what the simulator sends webhooks with (and a harness may place orders with), at a fraction of fetch's CPU.
import { Agent, request } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export interface PostAnswer {
  status: number;
  /** The answer's body, as text. */
  body: string;
}

/** Rejected with when the answer did not arrive in full within the time limit. */
export class PostTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timeout after ${ms} ms`);
  }
}

/**
 * Posts with kept-alive connections. A connection left idle is closed by this side after
 * `idleMs` or a second before the server's own Keep-Alive timeout, whichever comes first, so a
 * request is not written onto a socket the server is closing. Undici's fetch (which the
 * simulator used before) reuses connections the same way, but builds WHATWG Request, Headers and
 * stream objects for every call: over half the simulator's CPU per routed order in the benchmarks
 * (docs/decisions/047).
 */
export class HttpPoster {
  private readonly http: Agent;
  private readonly https: HttpsAgent;

  constructor(idleMs = 4_000) {
    this.http = new Agent({ keepAlive: true, timeout: idleMs });
    this.https = new HttpsAgent({ keepAlive: true, timeout: idleMs });
  }

  /**
   * Posts `body` to `url` and resolves once the whole answer is read, whatever its status
   * (redirects are answers, not followed). Rejects on a network error, or with PostTimeout when
   * connecting, sending and reading the answer took over `timeoutMs`.
   */
  post(
    url: string | URL,
    headers: Record<string, string>,
    body: string,
    timeoutMs: number,
  ): Promise<PostAnswer> {
    const target = typeof url === "string" ? new URL(url) : url;
    const secure = target.protocol === "https:";
    const payload = Buffer.from(body, "utf8");
    return new Promise<PostAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, answer?: PostAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(answer!);
      };
      const req = (secure ? httpsRequest : request)(
        target,
        {
          method: "POST",
          agent: secure ? this.https : this.http,
          headers: { ...headers, "Content-Length": String(payload.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            finish(null, {
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", (e) => finish(e));
          res.on("close", () => {
            if (!res.complete) finish(new Error("the connection closed before the whole answer"));
          });
        },
      );
      const timer = setTimeout(() => {
        finish(new PostTimeout(timeoutMs));
        req.destroy();
      }, timeoutMs);
      req.on("error", (e) => finish(e));
      req.end(payload);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
