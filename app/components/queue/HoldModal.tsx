// Asks why fulfillment orders are held (Shopify's FulfillmentHoldReason) and for a note, before a hold.
import { useEffect, useState } from "react";
import { FormLayout, Modal, Select, Text, TextField } from "@shopify/polaris";
// Straight from the modules, not the routing index: the browser bundle needs only these two.
import { HOLD_REASON_LABELS } from "../../routing/holds";
import { FULFILLMENT_HOLD_REASONS, type FulfillmentHoldReason } from "../../routing/snapshot";

const REASON_OPTIONS = FULFILLMENT_HOLD_REASONS.map((value) => ({
  value,
  label: HOLD_REASON_LABELS[value],
}));

export interface HoldModalProps {
  open: boolean;
  /** What is being held, for the title: "3 fulfillment orders", "#1001 at Studio". */
  subject: string;
  loading?: boolean;
  errors?: Partial<Record<"reason" | "note", string>>;
  onClose(): void;
  onHold(reason: FulfillmentHoldReason, note: string): void;
}

export function HoldModal({ open, subject, loading, errors, onClose, onHold }: HoldModalProps) {
  const [reason, setReason] = useState<FulfillmentHoldReason>("OTHER");
  const [note, setNote] = useState("");
  useEffect(() => {
    // Each opening starts blank: a note meant for other orders must not carry over.
    if (open) {
      setReason("OTHER");
      setNote("");
    }
  }, [open]);
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Hold ${subject}`}
      primaryAction={{ content: "Hold", onAction: () => onHold(reason, note), loading }}
      secondaryActions={[{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        <FormLayout>
          <Text as="p" tone="subdued">
            Shopify shows the reason and the note on the fulfillment order. Nothing ships until the
            hold is released.
          </Text>
          <Select
            label="Reason"
            options={REASON_OPTIONS}
            value={reason}
            onChange={(value) => setReason(value as FulfillmentHoldReason)}
            error={errors?.reason}
          />
          <TextField
            label="Note"
            value={note}
            onChange={setNote}
            multiline={2}
            maxLength={255}
            showCharacterCount
            autoComplete="off"
            helpText="For your team, e.g. what to check before releasing."
            error={errors?.note}
          />
        </FormLayout>
      </Modal.Section>
    </Modal>
  );
}
