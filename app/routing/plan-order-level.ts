// The order as a whole: tags, staff note, capture and archive, decided across all its fulfillment orders.
import type { CompiledRule } from "./conditions";
import type { Attributed, CaptureAction, RuleDecision } from "./decide";
import { compareGids } from "./snapshot";
import { AUTHORIZATION_WARNING_HOURS, authorizationDeadline } from "./authorization";
import { makeStep, type StepWhy } from "./steps";
import { norm } from "./views";
import { hasWorkLeft, quoted, settingsWhy, type PlanBuilder } from "./plan-builder";
import { engineSaid, moneyWords, words, type StoredWords } from "./words";
import { actionWords } from "./rule-words";

/** Highest priority first; stable, so equal ranks keep the order they were given. */
function byRank<T extends { rule: CompiledRule }>(items: T[]): T[] {
  return items.sort((x, y) => x.rule.rank - y.rule.rank);
}

export function planOrderLevel(b: PlanBuilder, decisions: readonly RuleDecision[]): void {
  planTags(b, decisions);
  planStaffNote(b, decisions);
  const live = decisions.filter((d) => d.view.fo.status !== "CANCELLED");
  // Work left on a closed or cancelled fulfillment order is not finished work.
  const allFulfilled =
    live.length > 0 &&
    !b.workLeftBehind &&
    live.every((d) => d.view.fo.status === "CLOSED" && !hasWorkLeft(d.view.fo));
  const approvedToGo =
    !b.workLeftBehind &&
    live.length > 0 &&
    live.every((d) => b.approvedToGo.get(d.view.fo.id) === true && !b.inFlux.has(d.view.fo.id));
  planCapture(b, decisions, approvedToGo, allFulfilled);
  planArchive(b, decisions, allFulfilled);
}

function planTags(b: PlanBuilder, decisions: readonly RuleDecision[]): void {
  const o = b.snapshot.order;
  // Tags: every matching rule's tags, once, in priority order.
  const tagWishes = byRank(decisions.flatMap((d) => d.tags));
  const seenTags = new Set<string>();
  const newTags: string[] = [];
  let firstTagRule: CompiledRule | null = null;
  for (const wish of tagWishes) {
    for (const tag of wish.action.tags) {
      const key = norm(tag);
      if (seenTags.has(key)) continue;
      seenTags.add(key);
      if (b.order.orderTags.has(key)) continue;
      newTags.push(tag.trim());
      firstTagRule ??= wish.rule;
    }
  }
  if (newTags.length > 0 && firstTagRule) {
    b.add(
      makeStep(
        "tagsAdd",
        b.orderId,
        null,
        { id: o.id, tags: newTags },
        engineSaid("step.addTags", { tags: newTags.map(quoted) }),
        b.ruleWhy(firstTagRule, actionWords({ type: "add_order_tags", tags: newTags }), null),
      ),
    );
  }
}

function planStaffNote(b: PlanBuilder, decisions: readonly RuleDecision[]): void {
  const o = b.snapshot.order;
  // Staff note: each rule's line once; a line already in the note is not added again.
  const noteWishes = byRank(decisions.flatMap((d) => d.notes));
  const existing = o.note ?? "";
  const newLines: string[] = [];
  let firstNoteRule: CompiledRule | null = null;
  for (const wish of noteWishes) {
    const line = wish.action.note.trim();
    if (!line || existing.includes(line) || newLines.includes(line)) continue;
    newLines.push(line);
    firstNoteRule ??= wish.rule;
  }
  if (newLines.length > 0 && firstNoteRule) {
    const note = [existing.trimEnd(), ...newLines].filter((part) => part !== "").join("\n");
    b.add(
      makeStep(
        "orderUpdate",
        b.orderId,
        null,
        { input: { id: o.id, note } },
        engineSaid("step.addNote", { lines: newLines.map(quoted) }),
        b.ruleWhy(firstNoteRule, words("action.add_staff_note"), null),
      ),
    );
  }
}

/** Why a capture is planned: the rule that says when, else Settings. */
function captureWhy(
  b: PlanBuilder,
  captureChoice: Attributed<CaptureAction> | null,
  what: StoredWords,
): StepWhy {
  return captureChoice ? b.ruleWhy(captureChoice.rule, what, null) : settingsWhy(what);
}

function planCapture(
  b: PlanBuilder,
  decisions: readonly RuleDecision[],
  approvedToGo: boolean,
  allFulfilled: boolean,
): void {
  const o = b.snapshot.order;
  // Capture: the highest-priority rule that says when, else Settings.
  const captureChoice = byRank(decisions.flatMap((d) => (d.capture ? [d.capture] : [])))[0] ?? null;
  const when = captureChoice
    ? captureChoice.action.when
    : { on_paid: "now", on_approval: "on_approval", on_fulfilment: "on_fulfilment", never: null }[
        b.settings.capturePolicy
      ];
  const open = o.capturable
    ? o.capturableTransactions.filter((t) => Number.parseFloat(t.amount.amount) > 0)
    : [];
  // "Before it lapses": due once the earliest authorization is inside the warning window; until
  // then the order is planned again when the window opens (replanAt).
  const warnMs = (b.settings.authorizationWarnHours ?? AUTHORIZATION_WARNING_HOURS) * 3600_000;
  // Only "before it lapses" looks at the deadlines: other orders skip reading their dates.
  const firstLapse = when === "before_lapse" ? earliestLapse(open, b.now) : null;
  const due =
    when === "now" ||
    (when === "on_approval" && approvedToGo) ||
    (when === "on_fulfilment" && allFulfilled) ||
    (when === "before_lapse" && firstLapse !== null && firstLapse - warnMs <= b.now);
  // The authorization lapsed before anyone captured it: Shopify shows the payment Expired and
  // offers nothing to capture, so the capture the rules wait for can never happen. Shopify sends
  // no webhook for a lapse; the merchant learns it here, on the next read (a lab's answer, a
  // webhook, reconciliation), and has to collect the money another way.
  if (
    open.length === 0 &&
    when !== null &&
    !o.cancelledAt &&
    o.displayFinancialStatus === "EXPIRED"
  ) {
    b.needsAttention({
      code: "authorization_expired",
      fulfillmentOrderId: null,
      ruleId: captureChoice?.rule.rule.id ?? null,
      message: words("settled.authorizationLapsed"),
    });
    return;
  }
  if (open.length > 0) {
    if (when === null) {
      b.explain(null, engineSaid("explain.captureYourself"));
    } else if (!due) {
      b.explain(
        null,
        when === "on_approval"
          ? engineSaid("explain.captureOnApproval")
          : when === "before_lapse"
            ? firstLapse === null
              ? engineSaid("explain.captureBeforeLapseUnknown")
              : engineSaid("explain.captureBeforeLapse", {
                  count: warnMs / 3600_000,
                  at: new Date(firstLapse).toISOString(),
                })
            : engineSaid("explain.captureOnFulfillment"),
        captureChoice?.rule.rule.id ?? null,
      );
      if (when === "before_lapse" && firstLapse !== null) b.waitUntil(firstLapse - warnMs);
    } else {
      for (const transaction of [...open].sort((x, y) => compareGids(x.id, y.id))) {
        const expires = transaction.authorizationExpiresAt
          ? Date.parse(transaction.authorizationExpiresAt)
          : null;
        const money = moneyWords(transaction.amount.amount, transaction.amount.currencyCode);
        if (expires !== null && expires <= b.now) {
          b.needsAttention({
            code: "authorization_expired",
            fulfillmentOrderId: null,
            ruleId: captureChoice?.rule.rule.id ?? null,
            message: engineSaid("attention.authorizationExpired", {
              money,
              at: transaction.authorizationExpiresAt ?? "",
            }),
          });
          continue;
        }
        b.add(
          makeStep(
            "orderCapture",
            b.orderId,
            null,
            {
              input: {
                id: o.id,
                parentTransactionId: transaction.id,
                amount: transaction.amount.amount,
                currency: transaction.amount.currencyCode,
              },
            },
            engineSaid("step.capture", { money }),
            captureWhy(b, captureChoice, actionWords({ type: "capture_payment", when })),
          ),
        );
      }
    }
  }
}

/** The earliest moment an open authorization lapses (ms), or null when none says when. */
function earliestLapse(
  open: readonly Parameters<typeof authorizationDeadline>[0][],
  now: number,
): number | null {
  let first: number | null = null;
  for (const transaction of open) {
    const deadline = authorizationDeadline(transaction, now);
    if (deadline === null) continue;
    const at = Date.parse(deadline.expiresAt);
    if (first === null || at < first) first = at;
  }
  return first;
}

function planArchive(
  b: PlanBuilder,
  decisions: readonly RuleDecision[],
  allFulfilled: boolean,
): void {
  const o = b.snapshot.order;
  // Archive: only when every fulfillment order is done, and delivered if the rule says so.
  const archiveChoice = byRank(decisions.flatMap((d) => (d.archive ? [d.archive] : [])))[0] ?? null;
  if (archiveChoice) {
    const fulfillments = o.fulfillments ?? [];
    const delivered =
      fulfillments.length > 0 && fulfillments.every((f) => f.displayStatus === "DELIVERED");
    const ready = allFulfilled && (archiveChoice.action.when === "fulfilled" || delivered);
    if (ready) {
      b.add(
        makeStep(
          "orderClose",
          b.orderId,
          null,
          { input: { id: o.id } },
          engineSaid("step.archive"),
          b.ruleWhy(archiveChoice.rule, actionWords(archiveChoice.action), null),
        ),
      );
    } else {
      b.explain(
        null,
        engineSaid(`explain.archiveOnce.${archiveChoice.action.when}`, {
          rule: archiveChoice.rule.rule.name,
        }),
        archiveChoice.rule.rule.id,
      );
    }
  }
}
