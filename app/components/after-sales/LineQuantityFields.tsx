// How many of each line an action takes (cancel items, remake): one number per line, at most what
// it may take, posted as `line:<line item id>`; the form's error about the lines below them.
import { Text, TextField } from "@shopify/polaris";

export interface LineChoice {
  id: string;
  /** The field's label, worded by the card (title and how many there are). */
  label: string;
  max: number;
}

export function LineQuantityFields({
  lines,
  quantities,
  onChange,
  error,
}: {
  lines: LineChoice[];
  quantities: Record<string, string>;
  onChange(lineId: string, quantity: string): void;
  error?: string;
}) {
  return (
    <>
      {lines.map((line) => (
        <TextField
          key={line.id}
          label={line.label}
          type="number"
          min={0}
          max={line.max}
          value={quantities[line.id] ?? "0"}
          onChange={(value) => onChange(line.id, value)}
          autoComplete="off"
        />
      ))}
      {error ? (
        <Text as="p" tone="critical">
          {error}
        </Text>
      ) : null}
    </>
  );
}

/** The form's fields for the chosen quantities. */
export function lineFields(quantities: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(quantities).map(([id, q]) => [`line:${id}`, q]));
}
