// The queue's table: one row per fulfillment order, selection across pages ("select all
// matching"), bulk actions with their hold and confirm dialogs, and keyset pagination.
import { memo, useCallback, useMemo, useRef, useState, type MouseEvent } from "react";
import { useNavigate } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import {
  ActionList,
  BlockStack,
  Button,
  ButtonGroup,
  InlineStack,
  Pagination,
  Popover,
  Text,
} from "@shopify/polaris";
import type { FulfillmentHoldReason } from "../../routing/snapshot";
import { ConfirmModal } from "./ConfirmModal";
import { HoldModal } from "./HoldModal";
import {
  DECIDED_BY_SETTINGS,
  OUTCOME_BADGES,
  isOutcome,
  type BulkAction,
} from "../../routing/vocabulary";
import { renderWords } from "../../i18n/words";
import type { QueueRow } from "../../services/queue-page.server";
import { TimeLeft } from "../deadlines/TimeLeft";

export type BulkSelection = { ids: string[] } | { allMatching: true };

/** A queue row with its order date as the loader wrote it in the admin's language. */
export type QueueTableRow = QueueRow & { placed: string };

export interface QueueTableProps {
  rows: QueueTableRow[];
  total: number;
  loading: boolean;
  submitting: boolean;
  hasNext: boolean;
  hasPrevious: boolean;
  onNext(): void;
  onPrevious(): void;
  holdErrors?: Partial<Record<"reason" | "note", string>>;
  /** Settings' warning window and the loader's clock: each row's time left to capture. */
  deadlines: { warnHours: number; now: string };
  onBulk(
    action: BulkAction,
    selection: BulkSelection,
    options?: { reason: FulfillmentHoldReason; note: string },
  ): void;
  /** Asks which of the selected orders a repair placed, as the Route again dialog opens. */
  onRerouteAsk(selection: BulkSelection): void;
  /** The answer: the sentence naming them, null while it is read or when none was repaired. */
  repairedNote: string | null;
}

/** What a row shows, worked out once by the table: a row itself calls no hook. */
interface RowWords {
  select: string;
  outcome: { label: string; tone: string };
  risk: { label: string; tone: string } | null;
  reason: string;
  rule: string;
  location: string;
}

/**
 * Every row's words with as few translator calls as the page needs (each is a fraction of a
 * millisecond, hundreds of them a noticeable part of hydrating the page on a slow phone): the
 * outcome and risk words once each, the checkbox's label from its sentence filled in per row.
 */
function rowsWords(t: TFunction, rows: readonly QueueRow[]): RowWords[] {
  const outcomes = new Map<string, RowWords["outcome"]>();
  const outcomeOf = (outcome: string) => {
    let words = outcomes.get(outcome);
    if (!words) {
      words = isOutcome(outcome)
        ? { label: t(`outcome.${outcome}`), tone: OUTCOME_BADGES[outcome].tone ?? "neutral" }
        : { label: outcome.replace(/_/g, " "), tone: "neutral" };
      outcomes.set(outcome, words);
    }
    return words;
  };
  const high = { label: t("queue.table.highRisk"), tone: "critical" };
  const medium = { label: t("queue.table.mediumRisk"), tone: "warning" };
  const settings = t("queue.decidedBySettings");
  const select = t("queue.table.selectRow", { order: "\u0000" });
  return rows.map((row) => ({
    select: select.replace("\u0000", row.orderName),
    outcome: outcomeOf(row.outcome),
    risk: row.riskLevel === "HIGH" ? high : row.riskLevel === "MEDIUM" ? medium : null,
    reason: row.reason === null ? "—" : renderWords(t, row.reason),
    rule: row.ruleName === DECIDED_BY_SETTINGS ? settings : (row.ruleName ?? "—"),
    location: row.provider ?? row.locationName ?? "—",
  }));
}

/**
 * One row in plain markup (a native checkbox, a link, text and badges drawn by the queue's
 * stylesheet with Polaris's tokens), about 12 elements where Polaris's IndexTable row with its
 * Checkbox, Badge icons and stacks made 31: the ~2,000 elements of a page of 50 rows were what
 * hydration walked and what the browser restyled on every tap. On a phone the queue's stylesheet
 * stacks its cells.
 */
const Row = memo(function Row(props: {
  row: QueueTableRow;
  words: RowWords;
  index: number;
  selected: boolean;
  deadlines: QueueTableProps["deadlines"];
  onToggle(id: string, index: number, range: boolean): void;
}) {
  const { row, words, index, selected } = props;
  const attention = row.outcome === "needs_attention";
  return (
    <tr className={selected ? "QueueTable__Row QueueTable__Row--selected" : "QueueTable__Row"}>
      <td className="QueueTable__Check">
        <input
          type="checkbox"
          className="QueueTable__Box"
          aria-label={words.select}
          checked={selected}
          // The change comes from a click (or the space bar): a shift-click ticks a range.
          onChange={(event) =>
            props.onToggle(
              row.id,
              index,
              (event.nativeEvent as { shiftKey?: boolean }).shiftKey === true,
            )
          }
        />
      </td>
      <td className="QueueTable__Order">
        <a href={`/app/orders/${row.orderNumber}`} className="QueueTable__Link">
          {row.orderName}
        </a>
      </td>
      <td className="QueueTable__Placed">{row.placed}</td>
      <td className="QueueTable__Customer">{row.customerName ?? "—"}</td>
      <td className="QueueTable__Status">
        <span className={`QueueTable__Badge QueueTable__Badge--${words.outcome.tone}`}>
          {words.outcome.label}
        </span>
        {words.risk ? (
          <span className={`QueueTable__Badge QueueTable__Badge--${words.risk.tone}`}>
            {words.risk.label}
          </span>
        ) : null}
        {row.authorizationLapsesAt ? (
          <TimeLeft
            lapsesAt={row.authorizationLapsesAt}
            estimated={row.authorizationEstimated}
            warnHours={props.deadlines.warnHours}
            now={props.deadlines.now}
          />
        ) : null}
      </td>
      <td
        className={
          row.reason === null
            ? "QueueTable__Reason QueueTable__Reason--none"
            : attention
              ? "QueueTable__Reason QueueTable--critical"
              : "QueueTable__Reason"
        }
      >
        {words.reason}
      </td>
      <td className="QueueTable__Rule">{words.rule}</td>
      <td className="QueueTable__Location">{words.location}</td>
    </tr>
  );
});

/** A plain left click, which the app turns into a navigation of its own (as Remix's Link does). */
const plainClick = (event: MouseEvent) =>
  event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;

/**
 * Memoised: the route re-renders on every navigation state and filter-bar change; with the
 * route's callbacks stable, the table draws again only for new rows, selection, loading or its
 * own dialogs, and then only the rows whose selection changed.
 */
export const QueueTable = memo(function QueueTable(props: QueueTableProps) {
  const { rows, total, loading, submitting } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [dialog, setDialog] = useState<BulkAction | null>(null);
  const [moreOpen, setMoreOpen] = useState(false);
  // The dialogs More actions opens give focus back to it: the menu item that opened them is gone.
  const moreActions = useRef<HTMLSpanElement>(null);
  // The row last ticked: a shift-click ticks every row from it, as Shopify admin's lists do.
  const anchor = useRef<number | null>(null);

  const words = useMemo(() => rowsWords(t, rows), [rows, t]);

  const onToggle = useCallback(
    (id: string, index: number, range: boolean) => {
      setAllMatching(false);
      setSelected((current) => {
        const next = new Set(current);
        const on = !current.has(id);
        const from = range && anchor.current !== null ? Math.min(anchor.current, index) : index;
        const to = range && anchor.current !== null ? Math.max(anchor.current, index) : index;
        for (const row of rows.slice(from, to + 1)) {
          if (on) next.add(row.id);
          else next.delete(row.id);
        }
        return next;
      });
      anchor.current = index;
    },
    [rows],
  );

  const pageSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  const someSelected = selected.size > 0;
  const selectPage = (on: boolean) => {
    setAllMatching(false);
    setSelected(on ? new Set(rows.map((row) => row.id)) : new Set());
  };
  const clearSelection = () => {
    setAllMatching(false);
    setSelected(new Set());
  };

  const selection: BulkSelection =
    allMatching && total > rows.length ? { allMatching: true } : { ids: [...selected] };
  const count = "allMatching" in selection ? total : selected.size;
  const what = t("queue.table.fulfillmentOrderCount", { count });
  // Capture, Archive and Route again act on orders, each once, as admin's own bulk dialogs count
  // them ("Archive 3 orders?"): the selected rows' orders, or every order the view matches.
  const orders = new Set(rows.filter((row) => selected.has(row.id)).map((row) => row.orderId)).size;
  const allOrders = "allMatching" in selection;
  const captureTitle = allOrders
    ? t("queue.capture.titleAll")
    : t("queue.capture.title", { count: orders });
  const archiveTitle = allOrders
    ? t("queue.archive.titleAll")
    : t("queue.archive.title", { count: orders });
  const rerouteTitle = allOrders
    ? t("queue.reroute.titleAll")
    : t("queue.reroute.title", { count: orders });

  const run = (action: BulkAction, options?: { reason: FulfillmentHoldReason; note: string }) => {
    props.onBulk(action, selection, options);
  };

  // A tap on a row opens its order, as on Shopify admin's lists; its checkbox and link do their own.
  const onRowsClick = (event: MouseEvent<HTMLTableSectionElement>) => {
    const target = event.target as HTMLElement;
    if (target.closest("input, button, label") || !plainClick(event)) return;
    const link =
      target.closest<HTMLAnchorElement>("a[href]") ??
      target.closest("tr")?.querySelector<HTMLAnchorElement>("a[href]");
    if (!link) return;
    event.preventDefault();
    navigate(link.getAttribute("href")!);
  };

  const headings = [
    t("queue.table.order"),
    t("queue.table.placed"),
    t("queue.table.customer"),
    t("queue.table.status"),
    t("queue.table.reason"),
    t("queue.table.rule"),
    t("queue.table.location"),
  ];

  return (
    <div className="QueueTable">
      {someSelected ? (
        <div className="QueueTable__Bulk">
          <InlineStack gap="300" blockAlign="center" wrap>
            <Text as="span" fontWeight="semibold">
              {t("queue.table.selected", { count })}
            </Text>
            {pageSelected && total > rows.length ? (
              allMatching ? (
                <Text as="span">{t("queue.table.allMatchingSelected", { count: total })}</Text>
              ) : (
                <Button variant="plain" onClick={() => setAllMatching(true)}>
                  {t("queue.table.selectAllMatching", { count: total })}
                </Button>
              )
            ) : null}
            <ButtonGroup>
              <Button onClick={() => run("approve")}>{t("bulkAction.approve")}</Button>
              <Button onClick={() => setDialog("hold")}>{t("bulkAction.hold")}</Button>
              <Popover
                active={moreOpen}
                onClose={() => setMoreOpen(false)}
                activator={
                  <span ref={moreActions}>
                    <Button disclosure onClick={() => setMoreOpen((open) => !open)}>
                      {t("queue.table.moreActions")}
                    </Button>
                  </span>
                }
              >
                <ActionList
                  actionRole="menuitem"
                  onActionAnyItem={() => setMoreOpen(false)}
                  items={[
                    { content: t("bulkAction.release"), onAction: () => run("release") },
                    { content: t("bulkAction.capture"), onAction: () => setDialog("capture") },
                    { content: t("bulkAction.archive"), onAction: () => setDialog("archive") },
                    {
                      content: t("bulkAction.reroute"),
                      onAction: () => {
                        props.onRerouteAsk(selection);
                        setDialog("reroute");
                      },
                    },
                  ]}
                />
              </Popover>
            </ButtonGroup>
            <Button variant="plain" onClick={clearSelection}>
              {t("queue.table.clearSelection")}
            </Button>
          </InlineStack>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <div className="QueueTable__Empty">
          <BlockStack gap="100" inlineAlign="center">
            <Text as="p" variant="headingMd">
              {t("queue.table.emptyTitle")}
            </Text>
            <Text as="p" tone="subdued">
              {t("queue.table.emptyHelp")}
            </Text>
          </BlockStack>
        </div>
      ) : (
        <div className="QueueTable__Scroll">
          <table
            className={loading ? "QueueTable__Table QueueTable--loading" : "QueueTable__Table"}
            aria-busy={loading || undefined}
          >
            <thead>
              <tr>
                <th className="QueueTable__Check" scope="col">
                  <input
                    type="checkbox"
                    className="QueueTable__Box"
                    aria-label={t("queue.table.selectPage", { count: rows.length })}
                    checked={pageSelected}
                    ref={(box) => {
                      if (box) box.indeterminate = someSelected && !pageSelected;
                    }}
                    onChange={() => selectPage(!pageSelected)}
                  />
                </th>
                {headings.map((heading) => (
                  <th key={heading} scope="col">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody onClick={onRowsClick}>
              {rows.map((row, index) => (
                <Row
                  key={row.id}
                  row={row}
                  words={words[index]!}
                  index={index}
                  selected={selected.has(row.id)}
                  deadlines={props.deadlines}
                  onToggle={onToggle}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 || props.hasNext || props.hasPrevious ? (
        <div className="QueueTable__Pagination">
          <Pagination
            type="table"
            hasNext={props.hasNext}
            hasPrevious={props.hasPrevious}
            onNext={() => {
              clearSelection();
              props.onNext();
            }}
            onPrevious={() => {
              clearSelection();
              props.onPrevious();
            }}
            accessibilityLabels={{
              next: t("queue.table.nextPage"),
              previous: t("queue.table.previousPage"),
            }}
          />
        </div>
      ) : null}
      <HoldModal
        open={dialog === "hold"}
        subject={what}
        loading={submitting}
        errors={props.holdErrors}
        onClose={() => setDialog(null)}
        onHold={(reason, note) => run("hold", { reason, note })}
      />
      <ConfirmModal
        open={dialog === "capture"}
        returnFocusTo={moreActions}
        title={captureTitle}
        body={t("queue.capture.body")}
        confirm={t("bulkAction.capture")}
        loading={submitting}
        onClose={() => setDialog(null)}
        onConfirm={() => run("capture")}
      />
      <ConfirmModal
        open={dialog === "archive"}
        returnFocusTo={moreActions}
        title={archiveTitle}
        body={t("queue.archive.body")}
        confirm={t("bulkAction.archive")}
        loading={submitting}
        onClose={() => setDialog(null)}
        onConfirm={() => run("archive")}
      />
      <ConfirmModal
        open={dialog === "reroute"}
        returnFocusTo={moreActions}
        title={rerouteTitle}
        body={t("queue.reroute.body")}
        note={props.repairedNote}
        confirm={t("bulkAction.reroute")}
        loading={submitting}
        onClose={() => setDialog(null)}
        onConfirm={() => run("reroute")}
      />
    </div>
  );
});
