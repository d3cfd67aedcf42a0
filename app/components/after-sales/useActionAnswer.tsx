// What each after-sales card (cancel, cancel items, remake, extra charge) does with its action's
// answer: done closes the dialog and tells the screen; a form to mend keeps the dialog open with
// the errors beside the fields; a refusal closes it and stays in red beside the button that asked.
import { useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner } from "@shopify/polaris";
import type { ActionNotice } from "../../services/action-notice";

export type { ActionNotice };

/** The order screen's answer to one card's action. */
export interface ActionAnswer {
  intent: string;
  ok: boolean;
  message: string;
  /** Field errors, worded: the dialog stays open to mend them. */
  errors?: Partial<Record<string, string>>;
  /**
   * Shopify did not answer: what "Try again" adds to the same form to resume that request (a
   * decision to resume under the same keys). Absent: a retry could not be the same request.
   */
  retry?: Record<string, string>;
  /** The retry button's words when they are not "Try again" (a cancel still running: "Check again"). */
  retryLabel?: string;
  /**
   * The banner's title when the card's refusal title would be untrue: Shopify's answer was lost,
   * so the change may have been made (ADR 097).
   */
  title?: string;
  /**
   * Done, but with something the merchant must act on (the order was canceled meanwhile): the
   * screen shows it in a banner, since a toast is a short confirmation and vanishes (ADR 104).
   */
  notice?: ActionNotice;
}

export function useActionAnswer<A extends ActionAnswer>(
  intent: A["intent"],
  onDone: (message: string, notice?: ActionNotice) => void,
  /** Clears the card's form once the action is done. */
  onReset?: () => void,
) {
  const fetcher = useFetcher<A>();
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [failureTitle, setFailureTitle] = useState<string | null>(null);
  const [retryFields, setRetryFields] = useState<Record<string, string> | null>(null);
  const [retryLabel, setRetryLabel] = useState<string | null>(null);
  // The fields last sent: a retry sends them again, with what the answer said to resume.
  const sent = useRef<Record<string, string>>({});

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer || answer.intent !== intent) return;
    if (answer.ok) {
      setOpen(false);
      setFailure(null);
      onReset?.();
      onDone(answer.message, answer.notice);
    } else if (!answer.errors) {
      setOpen(false);
      setFailure(answer.message);
      setFailureTitle(answer.title ?? null);
      setRetryFields(answer.retry ? { ...sent.current, ...answer.retry } : null);
      setRetryLabel(answer.retryLabel ?? null);
    }
    // onDone is the screen's toast; answering once per answer is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);

  return {
    open,
    setOpen,
    failure,
    /** The answer's own title for the failure; null: the card's refusal title. */
    failureTitle,
    dismissFailure: () => setFailure(null),
    submitting: fetcher.state !== "idle",
    /** Field errors of the last answer (shown beside each field). */
    errors: answer?.errors as A["errors"],
    submit,
    /** Sends the request that got no answer again, as the same request; null: nothing to retry. */
    retry: retryFields && failure ? () => submit(retryFields) : null,
    /** The retry button's own words; null: "Try again". */
    retryLabel,
  };

  function submit(fields: Record<string, string>) {
    setFailure(null);
    setRetryFields(null);
    sent.current = fields;
    fetcher.submit(fields, { method: "post" });
  }
}

/**
 * The refusal in red beside the action, until dismissed or asked again; with "Try again" when
 * Shopify did not answer and the same request can be sent again.
 */
export function RefusalBanner({
  title,
  failure,
  onDismiss,
  retry,
}: {
  title: string;
  failure: string | null;
  onDismiss(): void;
  retry?: { label: string; onRetry: (() => void) | null; loading: boolean };
}) {
  if (!failure) return null;
  const action =
    retry?.onRetry != null
      ? { content: retry.label, onAction: retry.onRetry, loading: retry.loading }
      : undefined;
  return (
    <Banner tone="critical" title={title} onDismiss={onDismiss} action={action}>
      <p>{failure}</p>
    </Banner>
  );
}
