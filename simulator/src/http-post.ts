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

/** Where a URL's requests go, worked out once: delivery targets are a handful of URLs. */
interface Target {
  /** The URL's scheme, as given (node:http refuses one it does not speak, as it did for the URL). */
  protocol: string;
  secure: boolean;
  hostname: string;
  port: string;
  path: string;
  /** The Host header Node writes for this URL (the port only when not the scheme's default). */
  host: string;
  /** Basic credentials of a URL with user:password@, as node:http sends them after Host. */
  authorization?: string;
}

/** Targets kept (subscription URLs, the control API's): past this, the oldest is forgotten. */
const TARGETS_KEPT = 64;

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
  private readonly targets = new Map<string, Target>();

  constructor(idleMs = 4_000) {
    this.http = new Agent({ keepAlive: true, timeout: idleMs });
    this.https = new HttpsAgent({ keepAlive: true, timeout: idleMs });
  }

  private target(url: string | URL): Target {
    const key = String(url);
    let t = this.targets.get(key);
    if (!t) {
      const u = typeof url === "string" ? new URL(url) : url;
      t = {
        protocol: u.protocol,
        secure: u.protocol === "https:",
        // What node:http makes of a URL (urlToHttpOptions): an IPv6 address without brackets.
        hostname: u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        host: u.host,
        authorization:
          u.username || u.password
            ? `Basic ${Buffer.from(
                `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`,
              ).toString("base64")}`
            : undefined,
      };
      if (this.targets.size >= TARGETS_KEPT) this.targets.delete(this.targets.keys().next().value!);
      this.targets.set(key, t);
    }
    return t;
  }

  /**
   * Posts `body` to `url` and resolves once the whole answer is read, whatever its status
   * (redirects are answers, not followed). Rejects on a network error, or with PostTimeout when
   * connecting, sending and reading the answer took over `timeoutMs`. `body` may be the bytes
   * already (a webhook's, encoded once for its signature and every attempt).
   *
   * The request is the one node:http writes for a URL and a headers object (`headers` in their
   * order, then Content-Length, Host and Connection: keep-alive), handed over as a list of raw
   * headers: node:http then writes them as they are, where an object costs a setHeader call and
   * its checks per header and the URL a parse per request (docs/decisions/061).
   */
  post(
    url: string | URL,
    headers: Record<string, string>,
    body: string | Buffer,
    timeoutMs: number,
  ): Promise<PostAnswer> {
    const target = this.target(url);
    const payload = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const raw: string[] = [];
    for (const name in headers) raw.push(name, headers[name]!);
    raw.push("Content-Length", String(payload.length), "Host", target.host);
    if (target.authorization) raw.push("Authorization", target.authorization);
    return new Promise<PostAnswer>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, answer?: PostAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(answer!);
      };
      const req = (target.secure ? httpsRequest : request)(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          path: target.path,
          method: "POST",
          agent: target.secure ? this.https : this.http,
          headers: raw,
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
