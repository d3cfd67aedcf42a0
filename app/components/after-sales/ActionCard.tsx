// The frame of each after-sales action on the order screen (cancel, cancel items, remake, extra
// charge): its card with what it shows, the refusal in red beside the button, and the dialog
// whose form the button opens.
import type { ReactNode } from "react";
import { BlockStack, Button, Card, Modal, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { RefusalBanner, type useActionAnswer } from "./useActionAnswer";

export function ActionCard({
  title,
  refusedTitle,
  action,
  button,
  dialog,
  onConfirm,
  children,
  form,
}: {
  title: string;
  refusedTitle: string;
  action: ReturnType<typeof useActionAnswer>;
  /** The button that opens the dialog; none when the order allows no such action. */
  button: { label: string; critical?: boolean; onOpen?: () => void } | null;
  dialog: {
    title: string;
    confirm: string;
    destructive?: boolean;
    close: string;
    /** Off while what the form asks cannot be done (the form says why). */
    confirmDisabled?: boolean;
  };
  onConfirm(): void;
  /** What the card shows above the refusal (the charges, the links). */
  children?: ReactNode;
  /** The dialog's form. */
  form: ReactNode;
}) {
  const { t } = useTranslation();
  const { open, setOpen, submitting } = action;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
        <RefusalBanner
          title={action.failureTitle ?? refusedTitle}
          failure={action.failure}
          onDismiss={action.dismissFailure}
          retry={{
            label: action.retryLabel ?? t("common.tryAgain"),
            onRetry: action.retry,
            loading: submitting,
          }}
        />
        {button ? (
          <Button
            tone={button.critical ? "critical" : undefined}
            onClick={() => {
              button.onOpen?.();
              setOpen(true);
            }}
            loading={submitting}
          >
            {button.label}
          </Button>
        ) : null}
      </BlockStack>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={dialog.title}
        primaryAction={{
          content: dialog.confirm,
          destructive: dialog.destructive,
          loading: submitting,
          disabled: dialog.confirmDisabled,
          onAction: onConfirm,
        }}
        secondaryActions={[{ content: dialog.close, onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="300">{form}</BlockStack>
        </Modal.Section>
      </Modal>
    </Card>
  );
}
