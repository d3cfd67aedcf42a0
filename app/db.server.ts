// The one Prisma client of the process, for the database named by DATABASE_URL.
import { createDb, type Db } from "./db/client.server";
import { env } from "./utils/env.server";

declare global {
  // Kept on globalThis so Vite's dev reloads reuse one connection pool.
  var __fulfilmentRouterDb: Db | undefined;
}

const db: Db = globalThis.__fulfilmentRouterDb ?? createDb(env().DATABASE_URL);
if (process.env.NODE_ENV !== "production") globalThis.__fulfilmentRouterDb = db;

export default db;
