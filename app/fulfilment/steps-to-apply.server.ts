// Which of a plan's Steps a decision still has to apply: a Step recorded as succeeded under its
// key is done, except a hold whose hold this decision released since (ADR 036).
import type { OrderSnapshot, Step } from "../routing";
import type { Db } from "../db/client.server";

/** A Step's row as the decision log has it, with what the guard reads of it. */
interface Row {
  key: string;
  kind: string;
  position: number;
  fulfillmentOrderId: string | null;
  status: string;
  input: string;
  outcome: string | null;
}

/**
 * The key a hold planned again is recorded under: the plan's key for the first hold, then
 * `<key>#2`, `<key>#3`… for each hold placed again after this decision released the one before.
 */
export function occurrenceKey(key: string, occurrence: number): string {
  return occurrence === 1 ? key : `${key}#${occurrence}`;
}

/** The occurrence a row's key records of a Step's key, or 0 when the row is another Step's. */
function occurrenceOf(row: Row, key: string): number {
  if (row.key === key) return 1;
  if (!row.key.startsWith(`${key}#`)) return 0;
  const n = Number(row.key.slice(key.length + 1));
  return Number.isInteger(n) && n > 1 ? n : 0;
}

function parsed<T>(json: string | null): T | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

/** The id of the hold a succeeded hold Step placed, from Shopify's answer as recorded. */
function placedHoldId(row: Row): string | null {
  return (
    parsed<{ fulfillmentHold?: { id?: string } | null }>(row.outcome)?.fulfillmentHold?.id ?? null
  );
}

/**
 * Whether this decision released the hold `hold` placed: a release on its fulfillment order that
 * names the hold (or, for a row recorded without the hold's id, came after it) and either
 * succeeded, or was sent without an answer or refused as already done (pending, skipped) while
 * the order as the plan saw it no longer has the hold. A release refused for a reason in the
 * shop's data (failed) released nothing.
 */
function releasedSince(hold: Row, rows: readonly Row[], snapshot: OrderSnapshot | null): boolean {
  const heldId = placedHoldId(hold);
  const fo = snapshot?.fulfillmentOrders.find((f) => f.id === hold.fulfillmentOrderId);
  const gone = !!snapshot && !fo?.holds.some((h) => h.id === heldId);
  return rows.some((row) => {
    if (row.kind !== "fulfillmentOrderReleaseHold") return false;
    if (row.fulfillmentOrderId !== hold.fulfillmentOrderId) return false;
    const holdIds = parsed<{ input?: { holdIds?: string[] } }>(row.input)?.input?.holdIds;
    const names =
      heldId && holdIds?.length ? holdIds.includes(heldId) : row.position > hold.position;
    if (!names) return false;
    if (row.status === "succeeded") return true;
    return heldId !== null && gone && (row.status === "pending" || row.status === "skipped");
  });
}

/**
 * The Steps of `steps` this decision has not yet applied, in their order, each under the key it is
 * recorded by. A Step recorded as succeeded is skipped: a retry, a second runner or a plan made on
 * a read older than the change does not apply it again. A hold is the exception once this decision
 * released the hold it placed: planned again (the rules want it back on the same fulfillment order,
 * as it stands, so its key is the same), it is a new hold, recorded under its next occurrence's
 * key and skipped in turn once that one succeeded. Pending, skipped and failed Steps are applied
 * again under the row they have. `snapshot` is the order the plan was made on.
 */
export async function stepsToApply(
  db: Db,
  decisionId: string,
  steps: readonly Step[],
  snapshot: OrderSnapshot | null,
): Promise<Step[]> {
  if (steps.length === 0) return [];
  const rows: Row[] = await db.step.findMany({
    where: { decisionId },
    select: {
      key: true,
      kind: true,
      position: true,
      fulfillmentOrderId: true,
      status: true,
      input: true,
      outcome: true,
    },
  });
  const fresh: Step[] = [];
  for (const step of steps) {
    if (step.kind !== "fulfillmentOrderHold") {
      if (rows.find((row) => row.key === step.key)?.status !== "succeeded") fresh.push(step);
      continue;
    }
    let last: Row | null = null;
    let occurrence = 0;
    for (const row of rows) {
      const n = occurrenceOf(row, step.key);
      if (n > occurrence) [last, occurrence] = [row, n];
    }
    if (!last) fresh.push(step);
    else if (last.status !== "succeeded") fresh.push({ ...step, key: last.key });
    else if (releasedSince(last, rows, snapshot))
      fresh.push({ ...step, key: occurrenceKey(step.key, occurrence + 1) });
  }
  return fresh;
}
