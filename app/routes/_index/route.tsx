// The app's public front door: Shopify admin opens /app; anyone else gets a short description.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useTranslation } from "react-i18next";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return null;
};

export default function Index() {
  const { t } = useTranslation();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto" }}>
      <h1>{t("app.name")}</h1>
      <p>{t("landing.about")}</p>
      <p>{t("landing.install")}</p>
    </main>
  );
}
