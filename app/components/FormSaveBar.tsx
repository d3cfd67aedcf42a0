// The contextual save bar every editing screen shows while its form has unsaved changes.
import { SaveBar } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";

export function FormSaveBar(props: {
  id: string;
  open: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { id, open, saving, onSave, onDiscard } = props;
  const { t } = useTranslation();
  return (
    <SaveBar id={id} open={open}>
      <button
        variant="primary"
        onClick={onSave}
        disabled={saving}
        loading={saving ? "" : undefined}
      >
        {t("common.save")}
      </button>
      <button onClick={onDiscard} disabled={saving}>
        {t("common.discard")}
      </button>
    </SaveBar>
  );
}
