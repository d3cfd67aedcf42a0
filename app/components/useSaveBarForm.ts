// One editing screen's form behind the contextual save bar: the values and what was last saved,
// the errors shown beside the fields, and Save / Discard sent through one fetcher.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";

type SubmitTarget = Parameters<ReturnType<typeof useFetcher>["submit"]>[0];

/** What a save answers: saved, or the errors to show beside the fields. */
export type SaveAnswer<E> = { ok: true } | { ok: false; errors: E };

export function useSaveBarForm<V, E extends object, A extends { ok: boolean }>(options: {
  initial: V;
  /** Errors the screen opens with (a stored rule that no longer reads), none by default. */
  initialErrors?: E;
  /** What is sent to the route's action (JSON). */
  body: (values: V) => unknown;
  /** The toast once saved (from the catalogue). */
  saved: string;
  /** Which of the action's answers answer a save (a screen whose action also does other things). */
  isSave?: (answer: A) => boolean;
  /** After the toast, once saved: where to go next, say. */
  onSaved?: (answer: A) => void;
}) {
  const { initial, body, saved, isSave, onSaved } = options;
  const shopify = useAppBridge();
  const { t } = useTranslation();
  const fetcher = useFetcher<A>();
  const [baseline, setBaseline] = useState<V>(initial);
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<E>(options.initialErrors ?? ({} as E));
  const dirty = useMemo(
    () => JSON.stringify(values) !== JSON.stringify(baseline),
    [values, baseline],
  );
  const saving = fetcher.state !== "idle";

  // Save reads the values of the moment rather than closing over them, so it stays the same
  // function while the merchant types and the save bar redraws only when it opens, closes or saves.
  const latest = useRef({ fetcher, body, values });
  latest.current = { fetcher, body, values };
  const save = useCallback(() => {
    const now = latest.current;
    now.fetcher.submit(now.body(now.values) as SubmitTarget, {
      method: "post",
      encType: "application/json",
    });
  }, []);
  const discard = useCallback(() => {
    setValues(baseline);
    setErrors({} as E);
  }, [baseline]);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (isSave && !isSave(fetcher.data as A)) return;
    const answer = fetcher.data as SaveAnswer<E>;
    if (answer.ok) {
      setErrors({} as E);
      setBaseline(values);
      shopify.toast.show(saved);
      onSaved?.(fetcher.data as A);
    } else {
      setErrors(answer.errors);
      shopify.toast.show(t("common.fixFields"), { isError: true });
    }
    // Only when a save finishes; the values at that moment are what was saved.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  const saveBar = useMemo(
    () => ({ open: dirty, saving, onSave: save, onDiscard: discard }),
    [dirty, saving, save, discard],
  );

  return {
    /** The last save's answer once it is in, for the answers `isSave` leaves to the screen. */
    answer: fetcher.state === "idle" ? fetcher.data : undefined,
    /** What was last saved (or loaded). */
    baseline,
    values,
    setValues,
    errors,
    setErrors,
    /** The props of FormSaveBar: open while the form differs from what was saved. */
    saveBar,
  };
}
