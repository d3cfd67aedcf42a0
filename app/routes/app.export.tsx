// Export: the decision log for a date range as a CSV file, with how many decisions the range holds.
import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import {
  countDecisions,
  CSV_COLUMNS,
  defaultExportRange,
} from "../services/decision-export.server";
import { CardHeading } from "../components/CardHeading";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const range = defaultExportRange(new Date());
  return {
    range,
    decisions: await countDecisions(db, session.shop, range),
    columns: [...CSV_COLUMNS],
  };
};

/** The file name the server gave, or a sensible one. */
function filenameOf(response: Response, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
  return match?.[1] ?? fallback;
}

export default function Export() {
  const { range, decisions, columns } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const { t } = useTranslation();
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [downloading, setDownloading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // A download link would be a document request without the embedded session token; fetch
  // carries it (App Bridge adds it), and the file is handed to the browser from memory.
  const download = async (path: string, fallbackName: string) => {
    setDownloading(true);
    setProblem(null);
    try {
      const response = await fetch(`${path}?${new URLSearchParams({ from, to }).toString()}`);
      if (response.status === 422) {
        const body = (await response.json()) as { errors: Record<string, string> };
        setErrors(body.errors);
        return;
      }
      if (!response.ok) {
        setProblem(t("export.failedStatus", { status: response.status }));
        return;
      }
      setErrors({});
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = filenameOf(response, fallbackName);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      shopify.toast.show(t("export.downloaded"));
    } catch (error) {
      setProblem(
        t("export.failed", { message: error instanceof Error ? error.message : String(error) }),
      );
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Page>
      <TitleBar title={t("export.title")} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <BlockStack gap="100">
                <CardHeading title={t("export.heading")} help={t("export.help")} />
                <Text as="p" tone="subdued">
                  {t("export.last30", { count: decisions })}
                </Text>
              </BlockStack>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
                <TextField
                  label={t("export.from")}
                  type="date"
                  value={from}
                  autoComplete="off"
                  error={errors.from}
                  onChange={(value) => {
                    setFrom(value);
                    setErrors(({ from: _fixed, ...rest }) => rest);
                  }}
                />
                <TextField
                  label={t("export.to")}
                  type="date"
                  value={to}
                  autoComplete="off"
                  error={errors.to}
                  onChange={(value) => {
                    setTo(value);
                    setErrors(({ to: _fixed, ...rest }) => rest);
                  }}
                />
              </InlineGrid>
              {problem ? (
                <Banner tone="critical" title={t("export.nothingDownloaded")}>
                  <Text as="p">{problem}</Text>
                </Banner>
              ) : null}
              <div>
                <InlineStack gap="200">
                  <Button
                    variant="primary"
                    onClick={() => void download("/app/export/decisions.csv", "decisions.csv")}
                    loading={downloading}
                  >
                    {t("export.download")}
                  </Button>
                  <Button
                    onClick={() => void download("/app/export/remakes.csv", "remake-reasons.csv")}
                    disabled={downloading}
                  >
                    {t("afterSales.remake.export.download")}
                  </Button>
                </InlineStack>
              </div>
              <Text as="p" variant="bodySm" tone="subdued">
                {t("export.columns", {
                  columns: columns.map((column) => t(`export.column.${column}`)).join(", "),
                })}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
