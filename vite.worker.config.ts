// Builds `npm run worker`'s process (scripts/worker.ts) into build/worker/index.js, beside the Remix
// app's build/server/index.js, so production starts JavaScript on plain Node instead of compiling
// the app's TypeScript through tsx at every start (ADR 053). `npm run build` runs it after Remix's.
//
// What the build leaves out and Node loads from node_modules at run time: every package (Vite's
// SSR build externalizes them all, so native ones such as libsql stay as installed), and with it
// `@prisma/client`, the SQLite client Prisma generates into node_modules. The PostgreSQL client
// generated into app/generated/ is the app's own code and bundled, as Remix's build bundles it.
import { defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

const WORKER_ENTRY = "scripts/worker.ts";

export default defineConfig({
  // The `~/` alias, as the app's own build resolves it.
  plugins: [tsconfigPaths()],
  // public/ is the web app's; nothing of it belongs beside the worker.
  publicDir: false,
  build: {
    ssr: WORKER_ENTRY,
    outDir: "build/worker",
    emptyOutDir: true,
    target: "node22",
    // Stack traces in the worker's logs name the TypeScript lines (`node --enable-source-maps`).
    sourcemap: true,
    minify: false,
    rollupOptions: {
      output: { format: "esm", entryFileNames: "index.js", chunkFileNames: "[name]-[hash].js" },
    },
  },
}) satisfies UserConfig;
