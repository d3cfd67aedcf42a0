// The load generator, a process of its own (forked by webhook-intake.bench.ts): sends signed
// deliveries to 127.0.0.1 at a fixed rate, open loop, and reports each one's latency.
//
// Open loop: delivery i is due at start + i / rate whether or not earlier ones were answered, and
// its latency counts from when it was due, not from when it could be sent. A slow server thus
// shows up in every delivery that waited behind it (no coordinated omission), as it would with
// Shopify, which does not wait for one answer before sending the next delivery.
import { createHash } from "node:crypto";
import { createConnection, type Socket } from "node:net";
import { deliveries, type Delivery } from "./deliveries";

export interface PhaseRequest {
  type: "phase";
  url: string;
  secret: string;
  rate: number;
  durationMs: number;
  /** Sequence number of the first delivery (order ids stay unique across phases). */
  first: number;
  /** Shopify's limit is 5 s; past this the generator gives up on a delivery. */
  timeoutMs: number;
}

export interface PhaseResult {
  type: "result";
  /** Per delivery, in send order. status 0: no answer (connection error or timeout). */
  webhookIds: string[];
  statuses: number[];
  latenciesMs: number[];
  /** How late the generator itself was in sending, worst case: it must stay small. */
  maxSendLagMs: number;
  /** The generator's own CPU time over the phase (ms): near a core's worth, it starves the app. */
  cpuMs: number;
  /** sha256 of the body of every 50th delivery, to compare with what the app stored. */
  bodyHashes: Array<[webhookId: string, sha256: string]>;
}

/**
 * HTTP/1.1 over kept-alive sockets, one request at a time on each, with every request's bytes
 * (request line, headers, body) built before the clock starts: sending costs a socket write and
 * reading the answer a scan for its status and length. Node's http client spent 450-900 µs of CPU
 * per delivery here, more than the app it measured, on the same two cores (issue 15).
 */
class Sender {
  private readonly idle: Connection[] = [];
  private readonly waiting: Array<() => void> = [];
  private open = 0;
  private readonly sweep: NodeJS.Timeout;
  readonly live = new Set<Connection>();

  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly maxSockets: number,
    timeoutMs: number,
  ) {
    // Shopify gives up on an answer after its timeout: so does the generator.
    this.sweep = setInterval(() => {
      const now = performance.now();
      for (const connection of this.live) connection.expire(now - timeoutMs);
    }, 100);
  }

  /** Sends the bytes; resolves the answer's status, or 0 for no answer (closed, timed out). */
  send(bytes: Buffer): Promise<number> {
    return new Promise((resolveStatus) => {
      const go = () => {
        const connection = this.idle.pop() ?? this.connect();
        connection.request(bytes, (status) => {
          resolveStatus(status);
          this.release(connection);
        });
      };
      if (this.idle.length > 0 || this.open < this.maxSockets) go();
      else this.waiting.push(go);
    });
  }

  private connect(): Connection {
    this.open++;
    const connection = new Connection(connectSocket(this.port, this.host), () => {
      this.open--;
      this.live.delete(connection);
      const index = this.idle.indexOf(connection);
      if (index >= 0) this.idle.splice(index, 1);
    });
    this.live.add(connection);
    return connection;
  }

  private release(connection: Connection): void {
    if (connection.closed) {
      this.waiting.shift()?.();
      return;
    }
    const next = this.waiting.shift();
    if (next) {
      this.idle.push(connection);
      next();
    } else this.idle.push(connection);
  }

  close(): void {
    clearInterval(this.sweep);
    for (const connection of this.live) connection.destroy();
  }
}

class Connection {
  closed = false;
  private pending: ((status: number) => void) | null = null;
  private sentAt = 0;
  private buffered = "";

  constructor(
    private readonly socket: Socket,
    onClose: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.read(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.closed = true;
      onClose();
      this.answer(0);
    });
  }

  request(bytes: Buffer, done: (status: number) => void): void {
    this.pending = done;
    this.sentAt = performance.now();
    this.buffered = "";
    this.socket.write(bytes);
  }

  expire(before: number): void {
    if (this.pending && this.sentAt < before) this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private answer(status: number): void {
    const done = this.pending;
    this.pending = null;
    done?.(status);
  }

  // The app answers with a Content-Length (never chunked): the head, then that many bytes.
  private read(chunk: Buffer): void {
    this.buffered += chunk.toString("latin1");
    const headEnd = this.buffered.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    const head = this.buffered.slice(0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const bodyLength = length ? Number(length[1]) : 0;
    if (this.buffered.length < headEnd + 4 + bodyLength) return;
    const status = Number(head.slice(9, 12));
    this.buffered = "";
    // An answer that closes the connection frees no socket for the next delivery.
    if (/\r\nconnection: *close/i.test(head)) this.socket.end();
    this.answer(status);
  }
}

function connectSocket(port: number, host: string): Socket {
  return createConnection({ port, host });
}

/** The bytes of one delivery as an HTTP/1.1 request. */
function requestBytes(url: URL, delivery: Delivery): Buffer {
  const headers = { ...delivery.headers, "Content-Length": String(delivery.body.length) };
  const lines = [`POST ${url.pathname} HTTP/1.1`, `Host: ${url.host}`, "Connection: keep-alive"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), delivery.body]);
}

async function runPhase(phase: PhaseRequest): Promise<PhaseResult> {
  const count = Math.round((phase.rate * phase.durationMs) / 1000);
  // Built (and signed) before the clock starts: the generator's CPU goes to sending.
  const list = deliveries(phase.first, count, phase.secret);
  const bodyHashes = list
    .filter((_, i) => i % 50 === 0)
    .map((d): [string, string] => [d.webhookId, createHash("sha256").update(d.body).digest("hex")]);
  const url = new URL("/webhooks/orders/paid", phase.url);
  const requests = list.map((delivery) => requestBytes(url, delivery));
  // Building the deliveries left garbage; a collection now is one that cannot pause sending.
  (globalThis as { gc?: () => void }).gc?.();
  const statuses = new Array<number>(count).fill(0);
  const latenciesMs = new Array<number>(count).fill(0);
  const interval = 1000 / phase.rate;
  const start = performance.now() + 20;
  let next = 0;
  let maxSendLagMs = 0;
  const pending: Promise<void>[] = [];
  // A pool per phase, with enough sockets that the generator never queues behind it. Sockets
  // left idle between phases would race the server's keep-alive timeout (a reset that is the
  // generator's doing, not the app's), so each phase starts on fresh connections.
  const sender = new Sender(Number(url.port), url.hostname, 512, phase.timeoutMs);
  const cpuBefore = process.cpuUsage();

  await new Promise<void>((resolveSent) => {
    const tick = () => {
      const now = performance.now();
      while (next < count && start + next * interval <= now) {
        const i = next++;
        const due = start + i * interval;
        maxSendLagMs = Math.max(maxSendLagMs, now - due);
        pending.push(
          sender.send(requests[i]!).then((status) => {
            statuses[i] = status;
            latenciesMs[i] = performance.now() - due;
          }),
        );
      }
      if (next >= count) return resolveSent();
      setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  await Promise.all(pending);
  const cpu = process.cpuUsage(cpuBefore);
  sender.close();
  return {
    type: "result",
    webhookIds: list.map((delivery) => delivery.webhookId),
    statuses,
    latenciesMs,
    maxSendLagMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bodyHashes,
  };
}

process.on("message", (message: PhaseRequest | { type: "stop" }) => {
  if (message.type === "stop") {
    process.disconnect();
    return;
  }
  void runPhase(message).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ type: "error", message: String(error) }),
  );
});
