// The contextual save bar every editing screen shows while its form has unsaved changes.
import { SaveBar } from "@shopify/app-bridge-react";

export function FormSaveBar(props: {
  id: string;
  open: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { id, open, saving, onSave, onDiscard } = props;
  return (
    <SaveBar id={id} open={open}>
      <button
        variant="primary"
        onClick={onSave}
        disabled={saving}
        loading={saving ? "" : undefined}
      >
        Save
      </button>
      <button onClick={onDiscard} disabled={saving}>
        Discard
      </button>
    </SaveBar>
  );
}
