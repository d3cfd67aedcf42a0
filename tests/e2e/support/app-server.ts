// Runs the production build (build/server/index.js) under remix-serve as a child process of its
// own, started directly rather than through npm so that stopping it by PID really stops it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

export interface AppServer {
  url: string;
  pid: number;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

const BUILD = resolve("build/server/index.js");

function remixServeCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@remix-run/serve/package.json")), "dist/cli.js");
}

export async function startAppServer(opts: {
  port: number;
  env: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<AppServer> {
  if (!existsSync(BUILD)) {
    throw new Error(
      `${BUILD} is missing: run \`npm run build\` before the browser tests (npm test does).`,
    );
  }
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [remixServeCli(), BUILD], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      // The build is a production build; React's development server renderer would not match it.
      NODE_ENV: "production",
      PORT: String(opts.port),
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // If the test process dies without stopping it, the server must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const url = `http://localhost:${opts.port}`;
  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      const force = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(force);
        resolveStop();
      });
      child.kill("SIGTERM");
    });

  await new Promise<void>((resolveReady, rejectReady) => {
    const timeout = setTimeout(() => {
      void stop();
      rejectReady(
        new Error(`The app did not start within ${opts.readyTimeoutMs ?? 30_000} ms:\n${output}`),
      );
    }, opts.readyTimeoutMs ?? 30_000);
    const onData = () => {
      // remix-serve prints its address once it listens.
      if (output.includes(`[remix-serve] http://localhost:${opts.port}`)) {
        clearTimeout(timeout);
        child.stdout?.off("data", onData);
        resolveReady();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timeout);
      rejectReady(new Error(`The app exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });

  if (child.pid === undefined) throw new Error("remix-serve has no PID");
  return { url, pid: child.pid, output: () => output, stop };
}
