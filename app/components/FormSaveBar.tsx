// Save on an editing screen: the contextual save bar while the form has unsaved changes, and the
// same Save at the foot of the page, both driven by useSaveBarForm's `saveBar`.
import { SaveBar } from "@shopify/app-bridge-react";
import { PageActions, type PageActionsProps } from "@shopify/polaris";
import { memo } from "react";
import { useTranslation } from "react-i18next";

/** useSaveBarForm's `saveBar`: open while the form differs from what was saved. */
export interface SaveBarState {
  open: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}

/** Memoised: its props change only when the form opens, closes or saves, not at every keystroke. */
export const FormSaveBar = memo(function FormSaveBar(props: SaveBarState & { id: string }) {
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
});

/**
 * Save at the foot of the page, enabled while there is something to save (or always, for a form
 * that has never been saved), with the screen's other actions (delete) beside it.
 */
export function FormPageActions(props: {
  saveBar: SaveBarState;
  /** A new record can be saved as it stands, unchanged. */
  alwaysSavable?: boolean;
  secondaryActions?: PageActionsProps["secondaryActions"];
}) {
  const { saveBar, alwaysSavable = false, secondaryActions } = props;
  const { t } = useTranslation();
  return (
    <PageActions
      primaryAction={{
        content: t("common.save"),
        onAction: saveBar.onSave,
        loading: saveBar.saving,
        disabled: !saveBar.open && !alwaysSavable,
      }}
      secondaryActions={secondaryActions}
    />
  );
}
