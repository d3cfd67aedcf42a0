// The app's side of simulator-cpu.ts, in a process of its own so its CPU is not counted: takes every webhook with 200 and, for each orders/paid, sends the routing read the worker sends (one print line), as the scale benchmark's fleet does per order (tests/bench/support/stand-in-app.ts).
import { startStandInApp } from "../support/stand-in-app";

const app = await startStandInApp(
  process.env.SIM_URL!,
  JSON.parse(process.env.SIM_TOKENS!) as Record<string, string>,
);
process.stdout.write(`listening ${app.url}\n`);
