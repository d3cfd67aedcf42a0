// The queue's IndexTable: one row per fulfillment order, selection across pages ("select all
// matching"), bulk actions with their hold and confirm dialogs, and keyset pagination.
import { memo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  Badge,
  BlockStack,
  Box,
  IndexTable,
  InlineStack,
  Link,
  Text,
  useBreakpoints,
  useIndexResourceState,
  type IndexTableProps,
} from "@shopify/polaris";
import type { FulfillmentHoldReason } from "../../routing/snapshot";
import { ConfirmModal } from "./ConfirmModal";
import { HoldModal } from "./HoldModal";
import { OutcomeBadge } from "./OutcomeBadge";
import { DECIDED_BY_SETTINGS, type BulkAction } from "../../routing/vocabulary";
import { renderWords } from "../../i18n/words";
import type { QueueRow } from "../../services/queue-page.server";
import { TimeLeft } from "../deadlines/TimeLeft";

export type BulkSelection = { ids: string[] } | { allMatching: true };

export interface QueueTableProps {
  rows: QueueRow[];
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
}

function RiskBadge({ level }: { level: string | null }) {
  const { t } = useTranslation();
  if (level === "HIGH") return <Badge tone="critical">{t("queue.table.highRisk")}</Badge>;
  if (level === "MEDIUM") return <Badge tone="warning">{t("queue.table.mediumRisk")}</Badge>;
  return null;
}

/**
 * Memoised: the route re-renders on every navigation state and filter-bar change, and redrawing
 * 50 rows of cells for that made the queue's first tap slow; with the route's callbacks stable,
 * the table draws again only for new rows, selection, loading or its own dialogs.
 */
export const QueueTable = memo(function QueueTable(props: QueueTableProps) {
  const { rows, total, loading, submitting } = props;
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(rows);
  const [dialog, setDialog] = useState<BulkAction | null>(null);
  const { smDown } = useBreakpoints();
  const { t, i18n } = useTranslation();
  const resource = {
    singular: t("queue.table.fulfillmentOrder_one"),
    plural: t("queue.table.fulfillmentOrder_other"),
  };
  const dateFormat = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });

  const selection: BulkSelection =
    allResourcesSelected && total > rows.length
      ? { allMatching: true }
      : { ids: selectedResources };
  const count = "allMatching" in selection ? total : selectedResources.length;
  const what = t("queue.table.fulfillmentOrderCount", { count });

  const run = (action: BulkAction, options?: { reason: FulfillmentHoldReason; note: string }) => {
    props.onBulk(action, selection, options);
  };

  const promotedBulkActions: IndexTableProps["promotedBulkActions"] = [
    { content: t("bulkAction.approve"), onAction: () => run("approve") },
    { content: t("bulkAction.hold"), onAction: () => setDialog("hold") },
  ];
  const bulkActions: IndexTableProps["bulkActions"] = [
    { content: t("bulkAction.release"), onAction: () => run("release") },
    { content: t("bulkAction.capture"), onAction: () => setDialog("capture") },
    { content: t("bulkAction.archive"), onAction: () => setDialog("archive") },
  ];

  const timeLeft = (row: QueueRow) =>
    row.authorizationLapsesAt ? (
      <TimeLeft
        lapsesAt={row.authorizationLapsesAt}
        estimated={row.authorizationEstimated}
        warnHours={props.deadlines.warnHours}
        now={props.deadlines.now}
      />
    ) : null;

  const orderLink = (row: QueueRow) => (
    <Link url={`/app/orders/${row.orderNumber}`} dataPrimaryLink monochrome removeUnderline>
      <Text as="span" variant="bodyMd" fontWeight="semibold">
        {row.orderName}
      </Text>
    </Link>
  );

  // On a phone the row is one stacked cell, as Shopify admin's own lists are.
  const condensedRow = (row: QueueRow) => (
    <IndexTable.Cell>
      <Box width="100%">
        <BlockStack gap="100">
          <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
            {orderLink(row)}
            <Text as="span" variant="bodySm" tone="subdued">
              {dateFormat.format(new Date(row.orderCreatedAt))}
            </Text>
          </InlineStack>
          <InlineStack gap="100">
            <OutcomeBadge outcome={row.outcome} />
            <RiskBadge level={row.riskLevel} />
          </InlineStack>
          {timeLeft(row)}
          <Text as="span" variant="bodySm">
            {[row.customerName, row.provider ?? row.locationName].filter(Boolean).join(" · ")}
          </Text>
          {row.reason ? (
            <Text
              as="span"
              variant="bodySm"
              tone={row.outcome === "needs_attention" ? "critical" : "subdued"}
              breakWord
            >
              {renderWords(t, row.reason)}
            </Text>
          ) : null}
        </BlockStack>
      </Box>
    </IndexTable.Cell>
  );

  const fullRow = (row: QueueRow) => (
    <>
      <IndexTable.Cell>{orderLink(row)}</IndexTable.Cell>
      <IndexTable.Cell>{dateFormat.format(new Date(row.orderCreatedAt))}</IndexTable.Cell>
      <IndexTable.Cell>{row.customerName ?? "—"}</IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100">
          <InlineStack gap="100" wrap={false}>
            <OutcomeBadge outcome={row.outcome} />
            <RiskBadge level={row.riskLevel} />
          </InlineStack>
          {timeLeft(row)}
        </BlockStack>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" tone={row.outcome === "needs_attention" ? "critical" : undefined} breakWord>
          {row.reason === null ? "—" : renderWords(t, row.reason)}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        {row.ruleName === DECIDED_BY_SETTINGS
          ? t("queue.decidedBySettings")
          : (row.ruleName ?? "—")}
      </IndexTable.Cell>
      <IndexTable.Cell>{row.provider ?? row.locationName ?? "—"}</IndexTable.Cell>
    </>
  );

  const rowMarkup = rows.map((row, index) => (
    <IndexTable.Row
      id={row.id}
      key={row.id}
      position={index}
      selected={selectedResources.includes(row.id)}
    >
      {smDown ? condensedRow(row) : fullRow(row)}
    </IndexTable.Row>
  ));

  return (
    <>
      <IndexTable
        condensed={smDown}
        resourceName={resource}
        itemCount={rows.length}
        selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
        onSelectionChange={handleSelectionChange}
        hasMoreItems={total > rows.length}
        paginatedSelectAllActionText={t("queue.table.selectAllMatching", { count: total })}
        paginatedSelectAllText={t("queue.table.allMatchingSelected", { count: total })}
        loading={loading}
        promotedBulkActions={promotedBulkActions}
        bulkActions={bulkActions}
        headings={[
          { title: t("queue.table.order") },
          { title: t("queue.table.placed") },
          { title: t("queue.table.customer") },
          { title: t("queue.table.status") },
          { title: t("queue.table.reason") },
          { title: t("queue.table.rule") },
          { title: t("queue.table.location") },
        ]}
        pagination={{
          hasNext: props.hasNext,
          hasPrevious: props.hasPrevious,
          onNext: () => {
            clearSelection();
            props.onNext();
          },
          onPrevious: () => {
            clearSelection();
            props.onPrevious();
          },
          accessibilityLabels: {
            next: t("queue.table.nextPage"),
            previous: t("queue.table.previousPage"),
          },
        }}
      >
        {rowMarkup}
      </IndexTable>
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
        title={t("queue.capture.title", { what })}
        body={t("queue.capture.body")}
        confirm={t("bulkAction.capture")}
        loading={submitting}
        onClose={() => setDialog(null)}
        onConfirm={() => run("capture")}
      />
      <ConfirmModal
        open={dialog === "archive"}
        title={t("queue.archive.title", { what })}
        body={t("queue.archive.body")}
        confirm={t("bulkAction.archive")}
        loading={submitting}
        onClose={() => setDialog(null)}
        onConfirm={() => run("archive")}
      />
    </>
  );
});
