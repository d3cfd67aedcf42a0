// Asks once more before an action that moves money or closes orders.
import { Modal, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export interface ConfirmModalProps {
  open: boolean;
  title: string;
  body: string;
  confirm: string;
  destructive?: boolean;
  loading?: boolean;
  onClose(): void;
  onConfirm(): void;
}

export function ConfirmModal({
  open,
  title,
  body,
  confirm,
  destructive,
  loading,
  onClose,
  onConfirm,
}: ConfirmModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={title}
      primaryAction={{ content: confirm, onAction: onConfirm, destructive, loading }}
      secondaryActions={[{ content: t("common.cancel"), onAction: onClose }]}
    >
      <Modal.Section>
        <Text as="p">{body}</Text>
      </Modal.Section>
    </Modal>
  );
}
