// Asks why fulfillment orders are held (Shopify's FulfillmentHoldReason) and for a note, before a hold.
import { useEffect, useState } from "react";
import { FormLayout, Modal, Select, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useReturnFocus } from "./useReturnFocus";
// Straight from the module, not the routing index: the browser bundle needs only this.
import { FULFILLMENT_HOLD_REASONS, type FulfillmentHoldReason } from "../../routing/snapshot";

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
  const { t } = useTranslation();
  // Closed with Cancel, Escape or once held, focus goes back to the Hold button that opened it.
  const activator = useReturnFocus(open);
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
      title={t("hold.title", { subject })}
      activator={activator}
      primaryAction={{ content: t("hold.hold"), onAction: () => onHold(reason, note), loading }}
      secondaryActions={[{ content: t("common.cancel"), onAction: onClose }]}
    >
      <Modal.Section>
        <FormLayout>
          <Text as="p" tone="subdued">
            {t("hold.help")}
          </Text>
          <Select
            label={t("hold.reason")}
            options={FULFILLMENT_HOLD_REASONS.map((value) => ({
              value,
              label: t(`holdReason.${value}`),
            }))}
            value={reason}
            onChange={(value) => setReason(value as FulfillmentHoldReason)}
            error={errors?.reason}
          />
          <TextField
            label={t("hold.note")}
            value={note}
            onChange={setNote}
            multiline={2}
            maxLength={255}
            showCharacterCount
            autoComplete="off"
            helpText={t("hold.noteHelp")}
            error={errors?.note}
          />
        </FormLayout>
      </Modal.Section>
    </Modal>
  );
}
