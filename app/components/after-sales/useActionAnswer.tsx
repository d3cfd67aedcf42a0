// What each after-sales card (cancel, cancel items, remake, extra charge) does with its action's
// answer: done closes the dialog and tells the screen; a form to mend keeps the dialog open with
// the errors beside the fields; a refusal closes it and stays in red beside the button that asked.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner } from "@shopify/polaris";

/** The order screen's answer to one card's action. */
export interface ActionAnswer {
  intent: string;
  ok: boolean;
  message: string;
  /** Field errors, worded: the dialog stays open to mend them. */
  errors?: Partial<Record<string, string>>;
}

export function useActionAnswer<A extends ActionAnswer>(
  intent: A["intent"],
  onDone: (message: string) => void,
  /** Clears the card's form once the action is done. */
  onReset?: () => void,
) {
  const fetcher = useFetcher<A>();
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer || answer.intent !== intent) return;
    if (answer.ok) {
      setOpen(false);
      setFailure(null);
      onReset?.();
      onDone(answer.message);
    } else if (!answer.errors) {
      setOpen(false);
      setFailure(answer.message);
    }
    // onDone is the screen's toast; answering once per answer is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);

  return {
    open,
    setOpen,
    failure,
    dismissFailure: () => setFailure(null),
    submitting: fetcher.state !== "idle",
    /** Field errors of the last answer (shown beside each field). */
    errors: answer?.errors as A["errors"],
    submit(fields: Record<string, string>) {
      setFailure(null);
      fetcher.submit(fields, { method: "post" });
    },
  };
}

/** The refusal in red beside the action, until dismissed or asked again. */
export function RefusalBanner({
  title,
  failure,
  onDismiss,
}: {
  title: string;
  failure: string | null;
  onDismiss(): void;
}) {
  if (!failure) return null;
  return (
    <Banner tone="critical" title={title} onDismiss={onDismiss}>
      <p>{failure}</p>
    </Banner>
  );
}
