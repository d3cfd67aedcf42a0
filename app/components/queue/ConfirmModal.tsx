// Asks once more before an action that moves money or closes orders.
import type { RefObject } from "react";
import { BlockStack, Modal, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useReturnFocus } from "./useReturnFocus";

export interface ConfirmModalProps {
  open: boolean;
  title: string;
  body: string;
  /** A second paragraph, when there is more to say about these orders (null while it is read). */
  note?: string | null;
  confirm: string;
  destructive?: boolean;
  loading?: boolean;
  /**
   * Holds the control focus goes back to when the dialog closes (its first focusable element).
   * Without it, focus goes back to the control that opened the dialog, when that is still there.
   */
  returnFocusTo?: RefObject<HTMLElement>;
  onClose(): void;
  onConfirm(): void;
}

export function ConfirmModal({
  open,
  title,
  body,
  note,
  confirm,
  destructive,
  loading,
  returnFocusTo,
  onClose,
  onConfirm,
}: ConfirmModalProps) {
  const { t } = useTranslation();
  const activator = useReturnFocus(open, returnFocusTo);
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={title}
      activator={activator}
      primaryAction={{ content: confirm, onAction: onConfirm, destructive, loading }}
      secondaryActions={[{ content: t("common.cancel"), onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          <Text as="p">{body}</Text>
          {note ? <Text as="p">{note}</Text> : null}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
