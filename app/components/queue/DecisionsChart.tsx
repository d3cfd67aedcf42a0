// Decisions per day as a stacked bar chart (Polaris Viz). Loaded lazily in the browser only: the
// chart library stays out of the first page load, and its box is sized before it arrives.
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";

export interface DecisionsChartProps {
  days: { date: string; automatic: number; byYou: number; needsAttention: number }[];
}

const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

export default function DecisionsChart({ days }: DecisionsChartProps) {
  const series = (
    name: string,
    pick: (d: DecisionsChartProps["days"][number]) => number,
    color: string,
  ) => ({
    name,
    color,
    data: days.map((d) => ({
      key: dayLabel.format(new Date(`${d.date}T00:00:00Z`)),
      value: pick(d),
    })),
  });
  return (
    <PolarisVizProvider defaultTheme="Light">
      <BarChart
        type="stacked"
        isAnimated={false}
        data={[
          series("Routed automatically", (d) => d.automatic, "#29845a"),
          series("By you", (d) => d.byYou, "#2c6ecb"),
          series("Needs attention", (d) => d.needsAttention, "#e51c00"),
        ]}
        skipLinkText="Skip the chart"
      />
    </PolarisVizProvider>
  );
}
