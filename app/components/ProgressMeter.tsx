// A progress bar as Polaris's ProgressBar looks once its bar has grown in, drawn by the server as
// it stays: Polaris's grows it in with a CSSTransition whose mount reads the layout, which forced
// a layout of the whole page inside hydration, where a merchant's early tap waited for it.
import type { CSSProperties } from "react";

const TONES = {
  highlight: "var(--p-color-bg-fill-info)",
  primary: "var(--p-color-bg-fill-brand)",
  success: "var(--p-color-bg-fill-success)",
  critical: "var(--p-color-bg-fill-critical)",
} as const;

/** Polaris's visually hidden element: read out, not shown. */
const VISUALLY_HIDDEN: CSSProperties = {
  position: "absolute",
  top: 0,
  width: "0.0625rem",
  height: "0.0625rem",
  margin: 0,
  padding: 0,
  overflow: "hidden",
  clipPath: "inset(50%)",
  border: 0,
  whiteSpace: "nowrap",
};

export function ProgressMeter({
  progress,
  tone = "highlight",
  ariaLabelledBy,
}: {
  /** 0–100; outside that, the bar is empty or full. */
  progress: number;
  tone?: keyof typeof TONES;
  ariaLabelledBy?: string;
}) {
  const percent = Math.min(100, Math.max(0, progress));
  return (
    <div
      style={{
        overflow: "hidden",
        width: "100%",
        height: "1rem",
        backgroundColor: "var(--p-color-bg-fill-tertiary)",
        borderRadius: "var(--p-border-radius-100)",
      }}
    >
      <progress
        aria-labelledby={ariaLabelledBy}
        value={percent}
        max={100}
        style={VISUALLY_HIDDEN}
      />
      <div
        style={{
          height: "100%",
          backgroundColor: TONES[tone],
          transform: `scaleX(${percent / 100})`,
          transformOrigin: "0 50%",
        }}
      />
    </div>
  );
}
