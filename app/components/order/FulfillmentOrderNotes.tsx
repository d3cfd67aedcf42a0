// The team's notes on one fulfillment order, on its card: what was written there, and a field to add
// one (saved for this fulfillment order only; the order's timeline shows it too).
import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Box, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { FulfillmentOrderNoteView } from "../../services/fulfillment-order-notes.server";
import { NoteText } from "./NotesCard";

type NoteAnswer = { ok: boolean; intent: string; errors?: Record<string, string> };

export function FulfillmentOrderNotes({
  fulfillmentOrderId,
  where,
  notes,
}: {
  fulfillmentOrderId: string;
  /** The place's name (location or fulfilment service): says which card's note this is. */
  where: string;
  notes: FulfillmentOrderNoteView[];
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<NoteAnswer>();
  const [body, setBody] = useState("");
  const submitted = useRef(false);
  const errors = fetcher.data && !fetcher.data.ok ? (fetcher.data.errors ?? null) : null;
  useEffect(() => {
    // Clear the field once the note is saved, not before: a failed save keeps what was written.
    if (submitted.current && fetcher.state === "idle" && fetcher.data?.ok) {
      submitted.current = false;
      setBody("");
    }
  }, [fetcher.state, fetcher.data]);
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("orderlog.notes.title")}
      </Text>
      {notes.map((note) => (
        <Box key={note.id} padding="200" background="bg-surface-secondary" borderRadius="200">
          <NoteText
            author={note.author ?? t("order.notes.staff")}
            at={note.createdAt}
            body={note.body}
          />
        </Box>
      ))}
      <fetcher.Form
        method="post"
        onSubmit={() => {
          submitted.current = true;
        }}
      >
        <input type="hidden" name="intent" value="fulfillmentOrderNote" />
        <input type="hidden" name="fulfillmentOrderId" value={fulfillmentOrderId} />
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flexGrow: 1 }}>
            <TextField
              label={t("orderlog.notes.label", { where })}
              labelHidden
              placeholder={t("orderlog.notes.placeholder")}
              name="body"
              value={body}
              onChange={setBody}
              maxLength={2000}
              autoComplete="off"
              error={errors?.body ?? errors?.fulfillmentOrderId}
            />
          </div>
          <Button
            submit
            loading={fetcher.state !== "idle"}
            accessibilityLabel={t("orderlog.notes.addAt", { where })}
          >
            {t("orderlog.notes.add")}
          </Button>
        </InlineStack>
      </fetcher.Form>
    </BlockStack>
  );
}
