// The production set-up as separate processes: web processes (`npm start`'s server/index.ts on
// the built app) and worker processes (`npm run worker`), each stopped or killed by its own PID,
// and a round-robin front for the web processes, as a load balancer would spread Shopify's calls.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";

export interface AppChild {
  name: string;
  pid: number;
  output(): string;
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

/** A web process on the built app (build/server/index.js), WORKER=off; resolves once it answers. */
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
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${handle.output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
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

/** A worker process (`npm run worker`'s scripts/worker.ts, or another `script`, through tsx). */
export function startWorkerProcess(
  name: string,
  env: Record<string, string>,
  script = "scripts/worker.ts",
): AppChild {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
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
  close(): Promise<void>;
}

/**
 * Spreads requests over the backends in turn, bodies and headers untouched (HMACs still hold).
 * Like nginx's default (proxy_request_buffering), a request's body is read whole before it is
 * sent on: a backend that answers early (a 415 before the body) then closes would otherwise reset
 * the connection while the body is still on its way, losing its answer.
 */
export async function startRoundRobin(backends: string[]): Promise<RoundRobin> {
  const served = backends.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
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
    close: () => new Promise((done) => server.close(() => done())),
  };
}
