// The content of an IndexTable cell that wraps (sentences, addresses, error answers) instead of
// running the table past its card (the Stuck table, the bulk report, the push log).
import type { ReactNode } from "react";

/**
 * Polaris's IndexTable keeps each cell on one line, so a sentence makes the table wider than its
 * card and cuts off the columns past the card's edge. This cell's content wraps, no narrower than
 * `minWidth` (where it still reads well); below the sum of those widths the table scrolls sideways
 * with its first column held at the left edge, as IndexTable does. A word longer than the cell
 * (an address, a token in an error) breaks anywhere: `overflow-wrap: break-word` would not, since
 * a table sizes its columns by their longest word unless the word may break.
 */
export function WrappingCell({ minWidth, children }: { minWidth: string; children: ReactNode }) {
  return <div style={{ whiteSpace: "normal", overflowWrap: "anywhere", minWidth }}>{children}</div>;
}
