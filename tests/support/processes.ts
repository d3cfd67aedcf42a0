// The production set-up as separate processes: web processes (`npm start`'s server/index.ts on
// the built app) and worker processes (`npm run worker`'s build, or its sources through tsx), each
// stopped or killed by its own PID, and a round-robin front for the web processes, as a load
// balancer would spread Shopify's calls.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";

export interface AppChild {
  name: string;
  pid: number;
  output(): string;
  /** Whether the process has not exited. */
  running(): boolean;
  /** How it ended (its exit code, or the signal that ended it); null while it runs. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** SIGTERM, SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL at once: what a crash or an evicted container looks like. */
  kill(): Promise<void>;
}

function track(name: string, child: ChildProcess): AppChild {
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-50_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // A test process that dies must not leave its servers behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((done) =>
    child.once("exit", () => {
      process.off("exit", killOnExit);
      done();
    }),
  );
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(force);
  };
  if (child.pid === undefined) throw new Error(`${name} has no PID`);
  return {
    name,
    pid: child.pid,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    exit: () =>
      child.exitCode === null && child.signalCode === null
        ? null
        : { code: child.exitCode, signal: child.signalCode },
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
  };
}

function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    NODE_ENV: "production",
    ...env,
  };
}

/**
 * Whether a server's output says it listens on `port` (server/index.ts prints
 * `[server] http://HOST:PORT` once listening, remix-serve `[remix-serve] http://HOST:PORT`).
 */
export function saysListening(output: string, port: number): boolean {
  return new RegExp(`\\bhttp://[^\\s/]+:${port}\\b`).test(output);
}

/**
 * What a simulator is told of an app not started yet (TCP's discard port, where nothing of ours
 * listens): the app takes its port only as it starts, then `setAppUrl` gives its address. Should
 * something be sent before, it fails rather than reach whichever server holds a port we guessed.
 */
export const APP_NOT_STARTED = "http://127.0.0.1:9";

/** The message of a server that could not listen because another process holds its port. */
export const PORT_IN_USE = /EADDRINUSE/;

/**
 * A web process on the built app (build/server/index.js), WORKER=off; resolves once it answers.
 * Its /health is asked only after it printed that it listens: a port given back by `freePort`
 * may be taken by another server meanwhile (a simulator, another test's app), whose 200 on
 * /health was taken for this process's while the process itself died of EADDRINUSE, and a front
 * then sent every other request to that server (a fault run's Flow action answered 404).
 */
export async function startWebProcess(
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<AppChild & { url: string }> {
  const child = spawn(
    process.execPath,
    ["--experimental-strip-types", "server/index.ts", resolve("build/server/index.js")],
    {
      cwd: process.cwd(),
      env: baseEnv({ HOST: "127.0.0.1", PORT: String(port), WORKER: "off", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const handle = track(name, child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  let listening = false;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited:\n${handle.output()}`);
    listening ||= saysListening(handle.output(), port);
    try {
      if (listening && (await fetch(`${url}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await handle.kill();
      throw new Error(`${name} did not answer /health within 90 s:\n${handle.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...handle, url };
}

/** A port nothing listens on now (the kernel's choice), given back for a server to take. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a server on a port found free just before it starts, and on another (twice at most)
 * when another process took that one first: a port given back by `freePort` is anyone's until
 * the server listens, and on a shared machine another test's server or simulator can take it in
 * between. `start` must fail with EADDRINUSE in its message when its port was taken (a web
 * process does: `startWebProcess` reads it from the process's output). `pick` chooses the ports
 * (a test hands out a taken one first).
 */
export async function onFreePort<T>(
  start: (port: number) => Promise<T>,
  pick: () => Promise<number> = freePort,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await pick());
    } catch (error) {
      if (attempt === 3 || !PORT_IN_USE.test((error as Error).message)) throw error;
    }
  }
}

/**
 * A web process (`startWebProcess`) on a port found free as it starts (`onFreePort`). `env` may
 * depend on the process's own URL: a web process without a front is its own SHOPIFY_APP_URL.
 */
export function startWebProcessOnFreePort(
  name: string,
  env: Record<string, string> | ((url: string) => Record<string, string>),
  pick?: () => Promise<number>,
): Promise<AppChild & { url: string }> {
  return onFreePort(
    (port) =>
      startWebProcess(
        name,
        port,
        typeof env === "function" ? env(`http://127.0.0.1:${port}`) : env,
      ),
    pick,
  );
}

/**
 * A worker process: by default scripts/worker.ts through tsx (`npm run worker:dev`), so a test
 * needs no build and always runs the sources it sees; a `.js` program (the worker's build, which
 * callers that build first pass: tests/bench/support/build.ts) runs on plain Node as `npm run
 * worker` does; or another `.ts` script through tsx.
 */
export function startWorkerProcess(
  name: string,
  env: Record<string, string>,
  program = "scripts/worker.ts",
): AppChild {
  const args = program.endsWith(".js")
    ? ["--enable-source-maps", program]
    : ["--import", "tsx", program];
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: baseEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  return track(name, child);
}

export interface RoundRobin {
  url: string;
  /** Requests each backend answered, in the order the backends were given. */
  served: number[];
  /** Takes one more backend into the turn (a web process started after the front). */
  add(backend: string): void;
  close(): Promise<void>;
}

/**
 * Spreads requests over the backends in turn, bodies and headers untouched (HMACs still hold).
 * Like nginx's default (proxy_request_buffering), a request's body is read whole before it is
 * sent on: a backend that answers early (a 415 before the body) then closes would otherwise reset
 * the connection while the body is still on its way, losing its answer. Backends may be added
 * later (`add`): a front whose URL others must know first can take its web processes' ports only
 * when they start, instead of holding ports nothing listens on meanwhile; until then it answers 502.
 */
export async function startRoundRobin(initial: string[]): Promise<RoundRobin> {
  const backends = [...initial];
  const served = backends.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    if (backends.length === 0) {
      req.resume();
      res.writeHead(502).end();
      return;
    }
    const i = next++ % backends.length;
    served[i]!++;
    const target = new URL(req.url ?? "/", backends[i]);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: target.host };
      if (headers["transfer-encoding"]) {
        delete headers["transfer-encoding"];
        headers["content-length"] = String(body.length);
      }
      const upstream = request(target, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => {
        if (res.headersSent) res.destroy();
        else res.writeHead(502).end();
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    add(backend) {
      backends.push(backend);
      served.push(0);
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}
