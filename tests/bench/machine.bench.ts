// machine_postgresql_cpu_per_select_us: what the benchmark's machine charges PostgreSQL for one
// and the same statement as more connections send it at once, with none of the app's code in play.
// pgbench (Debian's PostgreSQL package, beside the server the benchmarks start) sends its
// prepared primary-key SELECT from 2, 16 and 32 connections for a fixed time each; the figure is
// PostgreSQL's CPU (every backend's, live and ended) per statement. Then the same from 2
// connections opened anew for each statement (pgbench -C): what a new connection costs PostgreSQL
// (a backend forked, its caches filled), which a pool that closes idle connections pays again.
// 16 and 32 are one and two workers' routing slots: scale_2_workers_vs_1 saw every statement about
// 1.5x dearer with the second worker at the same calls and buffers (ADR 052), and this says how
// much of that the machine does to any PostgreSQL client (docs/decisions/070). Evidence with no
// target: where ratio_32_vs_16 is near 1 the scale figure reads the app; well above, the machine.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { findPostgresBinDir, startPostgres } from "../support/postgres";
import { defineBench, repeat, sized } from "./support/bench";
import { postgresCpuSeconds } from "./support/fleet";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CLIENTS = [2, 16, 32] as const;

/** PostgreSQL's CPU per pgbench SELECT, in microseconds, at each number of connections. */
async function cpuPerSelect(seconds: number, log: (line: string) => void) {
  const bin = findPostgresBinDir();
  const cluster = await startPostgres({ durable: true });
  if (!bin || !cluster)
    throw new Error("PostgreSQL (the Debian package) is needed for this benchmark");
  const pgbench = join(bin, "pgbench");
  const port = new URL(cluster.url).port;
  /**
   * PostgreSQL's CPU in microseconds per transaction of one pgbench run (`args`), and how many it
   * ran: the backends have ended when pgbench does, and the postmaster has counted their CPU once
   * it has reaped them.
   */
  const perTransaction = async (args: string[], what: string) => {
    const before = postgresCpuSeconds(port);
    const { stdout } = await run(pgbench, [
      ...args,
      "-n",
      "-j",
      "1",
      "-T",
      String(seconds),
      cluster.url,
    ]);
    await sleep(500);
    const cpu = postgresCpuSeconds(port) - before;
    const transactions = Number(/actually processed: (\d+)/.exec(stdout)?.[1]);
    if (!transactions) throw new Error(`pgbench ${what}:\n${stdout}`);
    return { us: (cpu * 1e6) / transactions, transactions, cpu };
  };
  try {
    // 1,000,000 accounts: its primary key's index and the table stay in shared buffers.
    await run(pgbench, ["-i", "-s", "10", "-q", cluster.url]);
    const perSelect: Record<string, number> = {};
    for (const clients of CLIENTS) {
      const { us, transactions, cpu } = await perTransaction(
        ["-S", "-M", "prepared", "-c", String(clients)],
        "processed nothing",
      );
      perSelect[`clients_${clients}`] = Math.round(us);
      log(
        `${clients} connections: ${transactions} SELECTs in ${seconds} s, PostgreSQL ${cpu.toFixed(2)} s of CPU, ${perSelect[`clients_${clients}`]} us each`,
      );
    }
    // A connection per statement, unprepared (a prepared one would be prepared again each time).
    const connection = await perTransaction(["-S", "-C", "-c", "2"], "opened no connection");
    const newConnection = Math.round(connection.us - perSelect.clients_2!);
    log(
      `a connection per SELECT: ${connection.transactions} in ${seconds} s, ${newConnection} us each beyond the SELECT`,
    );
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      ...perSelect,
      new_connection: newConnection,
      ratio_32_vs_16: ratio(perSelect.clients_32!, perSelect.clients_16!),
      ratio_32_vs_2: ratio(perSelect.clients_32!, perSelect.clients_2!),
    };
  } finally {
    await cluster.stop();
  }
}

export const bench = defineBench({
  name: "machine",
  figures: [
    {
      name: "machine_postgresql_cpu_per_select_us",
      description:
        "PostgreSQL's CPU per prepared primary-key SELECT (pgbench -S) from 2, 16 and 32 connections at once, and the ratios: what the machine adds to the same statement as more connections share its cores; new_connection: PostgreSQL's CPU for opening a connection",
      unit: "us",
    },
  ],
  run: (context) =>
    repeat(context, async () => ({
      machine_postgresql_cpu_per_select_us: await cpuPerSelect(
        sized(context, "seconds", 10, 3),
        context.log,
      ),
    })),
});
