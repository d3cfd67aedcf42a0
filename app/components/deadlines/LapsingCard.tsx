// Home's warning: orders whose payment authorization lapses within the shop's warning window,
// the soonest first, each with the time left, and a link to all of them in the review queue.
import { Banner, BlockStack, InlineStack, Link, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { LapsingAuthorizations } from "../../services/home.server";
import { TimeLeft } from "./TimeLeft";

export function LapsingCard({ lapsing, now }: { lapsing: LapsingAuthorizations; now: string }) {
  const { t } = useTranslation();
  if (lapsing.count === 0) return null;
  const more = lapsing.count - lapsing.orders.length;
  return (
    <Banner
      tone="warning"
      title={t("deadlines.home.title", { count: lapsing.count, hours: lapsing.warnHours })}
      action={{
        content: t("deadlines.home.open"),
        url: `/app/queue?lapsesWithin=${lapsing.warnHours}`,
      }}
    >
      <BlockStack gap="200">
        <Text as="p">{t("deadlines.home.help")}</Text>
        {lapsing.orders.map((o) => (
          <InlineStack key={o.orderId} gap="200" blockAlign="center">
            <Link url={`/app/orders/${o.orderNumber}`}>{o.orderName}</Link>
            <TimeLeft
              lapsesAt={o.lapsesAt}
              estimated={o.estimated}
              warnHours={lapsing.warnHours}
              now={now}
            />
          </InlineStack>
        ))}
        {more > 0 ? (
          <Text as="p" tone="subdued">
            {t("deadlines.home.more", { count: more })}
          </Text>
        ) : null}
      </BlockStack>
    </Banner>
  );
}
