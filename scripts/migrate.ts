// `npm run db:migrate`: applies pending migrations to DATABASE_URL and says what it applied.
// With the extension, so Node can also run this file itself (--experimental-strip-types).
import { migrate } from "../app/db/migrate.server.ts";

const DEFAULT_DATABASE_URL = "file:./prisma/data/app.db";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  // Credentials hidden: the URL may carry a password.
  console.log(`Migrating ${redact(url)}`);
  const result = await migrate(url, { log: (line) => console.log(`  ${line}`) });
  console.log(
    result.applied.length === 0 ? "Nothing to apply." : `Applied: ${result.applied.join(", ")}`,
  );
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
