// Where a dialog gives focus back when it closes: the control that opened it, as the page has it.
import { useRef, useState, type RefObject } from "react";

const FOCUSABLE = "a,button,input,select,textarea,[tabindex]";

/**
 * What holds `control` and nothing focusable before it: Polaris gives focus back to the first
 * focusable element inside its `activator` once the dialog has gone (while it fades out it still
 * keeps focus inside itself), so the control's own box is what it is handed.
 */
function boxOf(control: HTMLElement): HTMLElement | null {
  for (let box = control.parentElement; box && box !== document.body; box = box.parentElement) {
    const first = box.querySelector<HTMLElement>(FOCUSABLE);
    if (first === control) return box;
    if (first !== null) return null;
  }
  return null;
}

const shown = (element: Element) =>
  element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";

/**
 * The control that opened the dialog, as the page has it when the dialog has gone. Polaris's page
 * header draws its actions anew when the page's width changes (the dialog's scroll lock does), so
 * the button may be a new element by then: found again by its kind and words, outside any dialog.
 */
function openerNow(opened: { element: HTMLElement; words: string } | null): HTMLElement | null {
  if (!opened) return null;
  if (opened.element.isConnected) return opened.element;
  return (
    [...document.querySelectorAll<HTMLElement>(opened.element.tagName)].find(
      (element) =>
        element.textContent === opened.words && !element.closest("[role=dialog]") && shown(element),
    ) ?? null
  );
}

/**
 * The `activator` a Polaris Modal gives focus back to: `returnFocusTo` when the caller knows
 * (More actions, whose menu item that opened the dialog is gone), else the control that had focus
 * as the dialog opened. A keyboard user closing it with Cancel or Escape lands where they were,
 * not at the top of the page.
 */
export function useReturnFocus(
  open: boolean,
  returnFocusTo?: RefObject<HTMLElement>,
): RefObject<HTMLElement> {
  // Read while the dialog opens, before it takes focus.
  const opened = useRef<{ element: HTMLElement; words: string } | null>(null);
  const wasOpen = useRef(false);
  if (open && !wasOpen.current && typeof document !== "undefined") {
    const focused = document.activeElement;
    opened.current =
      focused instanceof HTMLElement && focused !== document.body
        ? { element: focused, words: focused.textContent ?? "" }
        : null;
  }
  wasOpen.current = open;
  // Polaris reads `current` when the dialog has gone: the opener's box as the page has it then.
  const [returnToOpener] = useState<RefObject<HTMLElement>>(() => ({
    get current() {
      const opener = openerNow(opened.current);
      return opener ? boxOf(opener) : null;
    },
  }));
  return returnFocusTo ?? returnToOpener;
}
