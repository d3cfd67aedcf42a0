// Checkpoints SQLite's write-ahead log from a thread of its own, so that copying the log into the
// database file (and its fsyncs) does not stall the request thread.
//
// Why: the libsql driver is synchronous, so whatever SQLite does during a commit blocks the event
// loop, and every ~1000 logged pages the committing connection also checkpoints: a stall of tens
// of milliseconds that every delivery in flight waits out (ADR 006). PASSIVE checkpoints never
// take the write lock, so the app's own connection neither waits for this one nor sees BUSY; it
// still checkpoints by itself, but only what this thread has not yet copied.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Runs in the worker (CommonJS, evaluated from this string so that the Vite build needs no
// separate worker file). One connection, one PASSIVE checkpoint per interval; a failure is
// reported once and retried, as the next interval comes anyway.
const WORKER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { createClient } = require(workerData.clientModule);
const client = createClient({ url: workerData.url });
let reported = false;
const timer = setInterval(() => {
  client.execute("PRAGMA wal_checkpoint(PASSIVE)").then(
    () => { reported = false; },
    (error) => {
      if (!reported) parentPort.postMessage({ error: String(error && error.message || error) });
      reported = true;
    },
  );
}, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message === "stop") { clearInterval(timer); client.close(); parentPort.close(); }
});
`;

/** Starts checkpointing a `file:` database every `intervalMs`; nothing to do for other URLs. */
export function startWalCheckpointer(
  databaseUrl: string,
  intervalMs = 50,
): WalCheckpointer | undefined {
  if (!databaseUrl.startsWith("file:")) return undefined;
  // Resolved here, where the app's node_modules are known; an eval'd worker resolves from cwd.
  const clientModule = createRequire(import.meta.url).resolve("@libsql/client");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url: databaseUrl, intervalMs, clientModule },
  });
  // Never what keeps the process alive: an interrupted checkpoint is safe and simply redone.
  worker.unref();
  worker.on("message", (message: { error?: string }) => {
    if (message.error) console.error(`WAL checkpoint failed (the app's connection will do it): ${message.error}`);
  });
  worker.on("error", (error) => console.error("The WAL checkpointer stopped:", error));
  return {
    stop: () =>
      new Promise<void>((resolveStop) => {
        worker.once("exit", () => resolveStop());
        worker.postMessage("stop");
      }),
  };
}
