// The load generator, a process of its own (forked by webhook-intake.bench.ts): sends signed
// deliveries to 127.0.0.1 at a fixed rate, open loop, and reports each one's latency.
//
// Open loop: delivery i is due at start + i / rate whether or not earlier ones were answered, and
// its latency counts from when it was due, not from when it could be sent. A slow server thus
// shows up in every delivery that waited behind it (no coordinated omission), as it would with
// Shopify, which does not wait for one answer before sending the next delivery.
import { createHash } from "node:crypto";
import { Agent, request } from "node:http";
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

function send(agent: Agent, url: URL, delivery: Delivery, timeoutMs: number): Promise<number> {
  return new Promise((resolveStatus) => {
    let settled = false;
    const settle = (status: number) => {
      if (settled) return;
      settled = true;
      resolveStatus(status);
    };
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { ...delivery.headers, "Content-Length": String(delivery.body.length) },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.once("end", () => settle(res.statusCode ?? 0));
        res.once("error", () => settle(0));
      },
    );
    req.once("timeout", () => req.destroy(new Error("timeout")));
    req.once("error", () => settle(0));
    req.end(delivery.body);
  });
}

async function runPhase(phase: PhaseRequest): Promise<PhaseResult> {
  const count = Math.round((phase.rate * phase.durationMs) / 1000);
  // Built (and signed) before the clock starts: the generator's CPU goes to sending.
  const list = deliveries(phase.first, count, phase.secret);
  const bodyHashes = list
    .filter((_, i) => i % 50 === 0)
    .map((d): [string, string] => [d.webhookId, createHash("sha256").update(d.body).digest("hex")]);
  const url = new URL("/webhooks/orders/paid", phase.url);
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
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const cpuBefore = process.cpuUsage();

  await new Promise<void>((resolveSent) => {
    const tick = () => {
      const now = performance.now();
      while (next < count && start + next * interval <= now) {
        const i = next++;
        const due = start + i * interval;
        maxSendLagMs = Math.max(maxSendLagMs, now - due);
        pending.push(
          send(agent, url, list[i]!, phase.timeoutMs).then((status) => {
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
  agent.destroy();
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
