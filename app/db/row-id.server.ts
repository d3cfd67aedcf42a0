// Ids of the rows the app writes in SQL of its own rather than through Prisma (the webhook inbox,
// the review queue's read model): ordered by creation time, as Prisma's cuid() ids are.
import { randomBytes } from "node:crypto";

// Random once per process: ids from two processes never collide, and no id needs fresh entropy.
const fingerprint = randomBytes(5).toString("hex");
let sequence = 0;

/**
 * A row id that sorts by creation time, as Prisma's cuid() does: new rows append to the primary
 * key's index instead of landing on a random page of it, so a batch dirties one index page
 * rather than one per row (each dirty page is written to the WAL and again at checkpoint).
 * Unique within the process by time and a counter, across processes by the fingerprint.
 */
export function newRowId(): string {
  sequence = (sequence + 1) % 36 ** 5;
  const time = Date.now().toString(36).padStart(9, "0");
  return `c${time}${sequence.toString(36).padStart(5, "0")}${fingerprint}`;
}
