// `npm run worker`: the job worker as a process of its own (WORKER=off in the web processes).
import db from "../app/db.server";
import { gatewayForShop } from "../app/fulfilment/gateways.server";
import { createEmbeddedQueue } from "../app/jobs/embedded-queue.server";
import { startWorker } from "../app/jobs/worker.server";

const worker = startWorker({
  db,
  queue: createEmbeddedQueue(db),
  gatewayFor: gatewayForShop,
  now: () => new Date(),
  log: (message) => console.log(`[worker] ${message}`),
});
console.log("Worker started.");
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void worker.stop().then(() => process.exit(0));
  });
}
