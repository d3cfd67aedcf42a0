// The team's internal notes on an order, in threads: write a note, or reply under one.
import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { BlockStack, Box, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import type { DetailNote } from "../../services/order-detail.server";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";
import { CardHeading } from "../CardHeading";

type NoteResult =
  | { ok: true; intent: "note" }
  | { ok: false; intent: string; errors: Record<string, string> }
  | { ok: boolean; intent: string };

function NoteForm({
  parentId,
  label,
  onDone,
}: {
  parentId?: string;
  label: string;
  onDone?: () => void;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<NoteResult>();
  const [body, setBody] = useState("");
  const submitted = useRef(false);
  const errors =
    fetcher.data && !fetcher.data.ok && "errors" in fetcher.data ? fetcher.data.errors : null;
  useEffect(() => {
    // Clear the field once the note is saved, not before: a failed save keeps what was written.
    if (submitted.current && fetcher.state === "idle" && fetcher.data?.ok) {
      submitted.current = false;
      setBody("");
      onDone?.();
    }
  }, [fetcher.state, fetcher.data, onDone]);
  return (
    <fetcher.Form
      method="post"
      onSubmit={() => {
        submitted.current = true;
      }}
    >
      <input type="hidden" name="intent" value="note" />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <BlockStack gap="200">
        <TextField
          label={label}
          name="body"
          value={body}
          onChange={setBody}
          multiline={parentId ? 2 : 3}
          maxLength={2000}
          autoComplete="off"
          error={errors?.body ?? errors?.parentId}
        />
        <InlineStack align="end" gap="200">
          {onDone ? <Button onClick={onDone}>{t("common.cancel")}</Button> : null}
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            {parentId ? t("order.notes.postReply") : t("order.notes.add")}
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}

/** Who wrote a note, when, and what (line breaks kept); fulfillment order notes show the same. */
export function NoteText({ author, at, body }: { author: string; at: string; body: string }) {
  const format = useFormat();
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" gap="200">
        <Text as="span" fontWeight="semibold">
          {author}
        </Text>
        <Text as="span" tone="subdued" variant="bodySm">
          {format.dateTime(at)}
        </Text>
      </InlineStack>
      <Text as="p" breakWord>
        <span style={{ whiteSpace: "pre-wrap" }}>{body}</span>
      </Text>
    </BlockStack>
  );
}

function Note({ note, depth }: { note: DetailNote; depth: number }) {
  const { t } = useTranslation();
  const [replying, setReplying] = useState(false);
  const author = note.author ?? t("order.notes.staff");
  return (
    <BlockStack gap="200">
      <Box
        padding="300"
        background={depth === 0 ? "bg-surface-secondary" : "bg-surface"}
        borderRadius="200"
        borderWidth={depth === 0 ? undefined : "025"}
        borderColor="border"
      >
        <NoteText author={author} at={note.createdAt} body={note.body} />
      </Box>
      {note.replies.length > 0 ? (
        <div style={{ paddingInlineStart: "var(--p-space-600)" }}>
          <BlockStack gap="200">
            {note.replies.map((reply) => (
              <Note key={reply.id} note={reply} depth={depth + 1} />
            ))}
          </BlockStack>
        </div>
      ) : null}
      {depth === 0 ? (
        <div style={{ paddingInlineStart: "var(--p-space-600)" }}>
          {replying ? (
            <NoteForm
              parentId={note.id}
              label={t("order.notes.replyTo", { author })}
              onDone={() => setReplying(false)}
            />
          ) : (
            <Button
              variant="plain"
              onClick={() => setReplying(true)}
              accessibilityLabel={t("order.notes.replyToNoteBy", { author })}
            >
              {t("order.notes.reply")}
            </Button>
          )}
        </div>
      ) : null}
    </BlockStack>
  );
}

export function NotesCard({ notes }: { notes: DetailNote[] }) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="400">
        <CardHeading title={t("order.notes.title")} help={t("order.notes.help")} />
        {notes.map((note) => (
          <Note key={note.id} note={note} depth={0} />
        ))}
        <NoteForm label={t("order.notes.new")} />
      </BlockStack>
    </Card>
  );
}
