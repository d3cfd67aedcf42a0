// Decisions per day as a stacked bar chart (Polaris Viz). Loaded lazily in the browser only: the
// chart library stays out of the first page load, and its box is sized before it arrives.
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";
import { useTranslation } from "react-i18next";

export interface DecisionsChartProps {
  /** Each day with its name in the admin's language (`label`, written by the loader). */
  days: { date: string; label: string; automatic: number; byYou: number; needsAttention: number }[];
}

export default function DecisionsChart({ days }: DecisionsChartProps) {
  const { t } = useTranslation();
  const series = (
    name: string,
    pick: (d: DecisionsChartProps["days"][number]) => number,
    color: string,
  ) => ({
    name,
    color,
    data: days.map((d) => ({
      key: d.label,
      value: pick(d),
    })),
  });
  return (
    <PolarisVizProvider defaultTheme="Light">
      <BarChart
        type="stacked"
        isAnimated={false}
        data={[
          series(t("home.chart.automatic"), (d) => d.automatic, "#29845a"),
          series(t("home.chart.byYou"), (d) => d.byYou, "#2c6ecb"),
          series(t("home.chart.needsAttention"), (d) => d.needsAttention, "#e51c00"),
        ]}
        skipLinkText={t("house.decisionsChart.skip")}
      />
    </PolarisVizProvider>
  );
}
