// Starts the built app as one process on 127.0.0.1, on a fresh migrated SQLite file, as `npm start`
// runs it in production; stopped (or killed) by its own PID.
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createClient } from "@libsql/client";
import { migrate } from "../../../app/db/migrate.server";
import { onFreePort, saysListening } from "../../support/processes";
import { SERVER_BUILD } from "./build";

/** "server": the production entry (server/index.ts); "remix-serve": Remix's stock server, for comparison. */
export type ServerKind = "server" | "remix-serve";

export interface AppProcess {
  url: string;
  /** CPU time (user + system) the app process has used so far, in ms; NaN where /proc is missing. */
  cpuMs(): number;
  pid: number;
  databaseUrl: string;
  databasePath: string;
  /** The app secret deliveries must be signed with. */
  secret: string;
  output(): string;
  /** Whether the process has not exited. */
  running(): boolean;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL at once: what a crash looks like to the database. */
  kill(): Promise<void>;
  /** Deletes the database files; after stop or kill. */
  cleanup(): void;
}

// Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 a second on Linux).
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function serverCommand(kind: ServerKind): string[] {
  if (kind === "server") return ["--experimental-strip-types", "server/index.ts", SERVER_BUILD];
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve("@remix-run/serve/package.json")), "dist/cli.js");
  return [cli, SERVER_BUILD];
}

/**
 * Waits for the app to answer /health, asked only once the app printed that it listens: until
 * then another server may hold the port (taken after `freePort` gave it back), whose 200 would be
 * taken for the app's while the app died of EADDRINUSE.
 */
async function waitUntilHealthy(
  url: string,
  listening: () => boolean,
  exited: () => string | null,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) throw new Error(`The app exited (${exit}) before it answered /health`);
    try {
      const response = listening() ? await fetch(`${url}/health`) : null;
      if (response?.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new Error(`The app did not answer /health within ${timeoutMs} ms`);
}

export async function startApp(options: {
  server: ServerKind;
  label: string;
  env?: Record<string, string>;
  /** Extra Node.js flags for the app process, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Copies the app's stderr (its errors and warnings) to ours as it comes. */
  echoErrors?: boolean;
  /** Shops given an offline session first: the intake drops deliveries for other shops. */
  installShops?: string[];
  /**
   * The port to listen on, for a caller that must tell others the URL first: taken by another
   * process meanwhile, the start fails (EADDRINUSE in its message). Default: a port found free as
   * the app starts, and another when it was taken before the app listened (`onFreePort`).
   */
  port?: number;
  /** Chooses the default's ports (a test hands out a taken one first). */
  pickPort?: () => Promise<number>;
  /** Runs on the migrated database before the app starts (sessions, the merchant's setup). */
  prepare?: (databaseUrl: string) => Promise<void>;
}): Promise<AppProcess> {
  const folder = join(tmpdir(), "fulfilment-router-bench");
  mkdirSync(folder, { recursive: true });
  const databasePath = join(folder, `${options.label}-${process.pid}-${randomUUID()}.db`);
  const databaseUrl = `file:${databasePath}`;
  await migrate(databaseUrl);
  if (options.installShops?.length) {
    const client = createClient({ url: databaseUrl });
    try {
      for (const shop of options.installShops) {
        await client.execute({
          sql: `INSERT INTO "Session" ("id", "shop", "state", "isOnline", "accessToken") VALUES (?, ?, '', 0, ?)`,
          args: [`offline_${shop}`, shop, `bench-token-${shop}`],
        });
      }
    } finally {
      client.close();
    }
  }
  await options.prepare?.(databaseUrl);

  // A caller that signs with its own secret (or plays Shopify with it) passes it in env.
  const secret = options.env?.SHOPIFY_API_SECRET ?? randomBytes(24).toString("hex");
  const launch = async (port: number): Promise<AppProcess> => {
    const url = `http://127.0.0.1:${port}`;
    let output = "";
    let exit: string | null = null;
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), ...serverCommand(options.server)],
      {
        cwd: process.cwd(),
        // Only what the app needs: no NODE_OPTIONS from the runner (tsx's loader is not production).
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          NODE_ENV: "production",
          HOST: "127.0.0.1",
          PORT: String(port),
          DATABASE_URL: databaseUrl,
          SHOPIFY_API_KEY: "bench-api-key",
          SHOPIFY_API_SECRET: secret,
          SHOPIFY_APP_URL: url,
          WORKER: "off",
          ...options.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    // Request logs of other paths are not needed; keep the tail for error messages.
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    if (options.echoErrors) child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    const exited = new Promise<void>((resolveExit) =>
      child.once("exit", (code, signal) => {
        exit = String(code ?? signal);
        process.off("exit", killOnExit);
        resolveExit();
      }),
    );

    const end = async (signal: NodeJS.Signals) => {
      if (exit !== null) return;
      child.kill(signal);
      const force = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(force);
    };
    try {
      // Generous: on a busy 2-core machine the first import of the build alone can take a minute.
      let listening = false;
      await waitUntilHealthy(
        url,
        () => (listening ||= saysListening(output, port)),
        () => exit,
        120_000,
      );
    } catch (error) {
      await end("SIGKILL");
      throw new Error(`${(error as Error).message}\n${output}`);
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error("The app process has no PID");
    return {
      url,
      pid,
      databaseUrl,
      databasePath,
      secret,
      output: () => output,
      running: () => exit === null,
      cpuMs: () => processCpuMs(pid),
      stop: () => end("SIGTERM"),
      kill: () => end("SIGKILL"),
      cleanup: () => {
        for (const suffix of ["", "-wal", "-shm", "-journal"])
          rmSync(databasePath + suffix, { force: true });
      },
    };
  };
  return options.port !== undefined ? launch(options.port) : onFreePort(launch, options.pickPort);
}
