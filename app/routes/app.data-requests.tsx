// Customer data requests: each customers/data_request Shopify sent, with a download of the report
// of everything the app holds about that customer's orders, for the merchant to hand over.
import { useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, IndexTable, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { listDataRequests } from "../services/compliance.server";
import { TableEmptyState } from "../components/TableEmptyState";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { requests: await listDataRequests(db, session.shop) };
};

/** The file name the server gave, or a sensible one. */
function filenameOf(response: Response, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
  return match?.[1] ?? fallback;
}

export default function DataRequests() {
  const { requests } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const { t, i18n } = useTranslation();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const dateFormat = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });

  // A download link would be a document request without the embedded session token; fetch
  // carries it (App Bridge adds it), and the file is handed to the browser from memory.
  const download = async (id: string) => {
    setDownloading(id);
    setProblem(null);
    try {
      const response = await fetch(`/app/data-requests/${encodeURIComponent(id)}.json`);
      if (!response.ok) {
        // The app's answer says what happened (the request erased meanwhile) in the admin's words.
        const said = response.status < 500 ? (await response.text()).trim() : "";
        setProblem(said || t("hardening.dataRequests.failedStatus", { status: response.status }));
        return;
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = filenameOf(response, "customer-data.json");
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      shopify.toast.show(t("hardening.dataRequests.downloaded"));
    } catch (error) {
      setProblem(
        t("hardening.dataRequests.failed", {
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    } finally {
      setDownloading(null);
    }
  };

  return (
    <Page backAction={{ content: t("nav.settings"), url: "/app/settings" }}>
      <TitleBar title={t("hardening.dataRequests.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("hardening.dataRequests.help")}
            </Text>
            {problem ? (
              <Banner tone="critical" title={t("hardening.dataRequests.nothingDownloaded")}>
                <Text as="p">{problem}</Text>
              </Banner>
            ) : null}
            <Card padding="0">
              <IndexTable
                resourceName={{
                  singular: t("hardening.dataRequests.singular"),
                  plural: t("hardening.dataRequests.plural"),
                }}
                itemCount={requests.length}
                selectable={false}
                emptyState={
                  <TableEmptyState
                    title={t("hardening.dataRequests.emptyTitle")}
                    help={t("hardening.dataRequests.emptyHelp")}
                  />
                }
                headings={[
                  { title: t("hardening.dataRequests.received") },
                  { title: t("hardening.dataRequests.customer") },
                  { title: t("hardening.dataRequests.orders") },
                  { title: t("hardening.dataRequests.report") },
                ]}
              >
                {requests.map((r, index) => (
                  <IndexTable.Row id={r.id} key={r.id} position={index}>
                    <IndexTable.Cell>{dateFormat.format(new Date(r.receivedAt))}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {r.customerId.replace(/^gid:\/\/shopify\/Customer\//, "")}
                    </IndexTable.Cell>
                    <IndexTable.Cell>{r.orders}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Button
                        onClick={() => void download(r.id)}
                        loading={downloading === r.id}
                        accessibilityLabel={t("hardening.dataRequests.downloadFor", {
                          customer: r.customerId.replace(/^gid:\/\/shopify\/Customer\//, ""),
                        })}
                      >
                        {t("hardening.dataRequests.download")}
                      </Button>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
