// What a merchant did on a server-rendered page before React started that React itself loses: a
// tap on a button, one of the app's links or a box no form takes by name (replayed once React has
// hydrated) and text typed into a multiline field.
import { useEffect, useState } from "react";

/** What the page's script below recorded, on `window.__beforeReact`. */
interface BeforeReact {
  taps: (HTMLButtonElement | HTMLAnchorElement | HTMLInputElement)[];
  typed: Record<string, string>;
  /** Set just before hydrateRoot, which listens from then on. */
  started?: boolean;
  /** The named fields in the page then: the server's, which React hydrates. */
  served?: WeakSet<Element>;
}

/**
 * Runs as the first thing in <body>, before any of the page's modules: until React starts
 * (`markReactStarted`, just before hydrateRoot: React listens from that moment and sees every event
 * itself, queueing those on parts it has not hydrated yet), it keeps
 * - each button tapped, once however often it was tapped (a second tap because nothing happened is
 *   the same wish), unless the browser does the tap's work itself (a submit button in a form);
 * - each of the app's own links tapped, its navigation stopped: the browser would load the page
 *   without the embedded app's session token and land on the login (a 500 in admin's frame),
 *   where once React has started Remix's Link goes there with it (a link opening elsewhere, or
 *   with a modifier key held, is left to the browser);
 * - each box or radio without a name tapped, left as it was: no form takes it by name
 *   (useInputBeforeHydration), only its handler knows what it is for (a queue row's selection);
 *   ticked by the browser, it would show ticked while nothing was selected;
 * - the text of each multiline field typed in, by name: React puts a textarea's text back to what
 *   it rendered while hydrating (its postMountWrapper), where it leaves an input's value and a
 *   select's choice as the merchant left them (useInputBeforeHydration reads those from the page).
 * A plain string, not a function's source: the build may rename or wrap a function's helpers.
 */
export const BEFORE_REACT_SCRIPT = `(function(){var d=document,r=window.__beforeReact={taps:[],typed:{}};function before(){return !r.started}d.addEventListener("click",function(e){if(!before())return;var t=e.target,c=t&&t.closest?t.closest("button,a[href],input[type=checkbox]:not([name]),input[type=radio]:not([name])"):null;if(!c||c.disabled)return;if(c.tagName==="A"){if(c.origin!==location.origin||c.target||c.hasAttribute("download")||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;e.preventDefault()}else if(c.tagName==="INPUT")e.preventDefault();else if(c.type==="submit"&&c.form)return;if(r.taps.indexOf(c)<0)r.taps.push(c)},true);d.addEventListener("input",function(e){if(!before())return;var t=e.target;if(t instanceof HTMLTextAreaElement&&t.name)r.typed[t.name]=t.value},true)})()`;

function recorded(): BeforeReact | undefined {
  return (window as typeof window & { __beforeReact?: BeforeReact }).__beforeReact;
}

/** Called just before hydrateRoot: from then on React sees the merchant's taps itself. */
export function markReactStarted() {
  const record = recorded();
  if (!record) return;
  record.started = true;
  record.served = new WeakSet(
    document.querySelectorAll("input[name], select[name], textarea[name]"),
  );
}

/**
 * Whether the server rendered `field` (React hydrated it): a field React drew itself (a form
 * opened by a navigation in the app) holds nothing from before React started, and a select drawn
 * by React marks no option as the one rendered.
 */
export function servedByTheServer(field: Element): boolean {
  return recorded()?.served?.has(field) ?? false;
}

/** The text typed into the multiline field `name` before React started, if any. */
export function typedBeforeReact(name: string): string | undefined {
  return recorded()?.typed[name];
}

/** Whether React has hydrated `element` (it keeps the element's fiber on it under this key). */
function hydratedByReact(element: Element): boolean {
  return Object.keys(element).some((key) => key.startsWith("__reactFiber$"));
}

/**
 * Once the page has hydrated, taps again each button, link and box the merchant tapped before React
 * started, in the order tapped, as if tapped now; renders nothing. React hydrated the page's own
 * elements, so each is the one tapped; one inside a Suspense boundary not hydrated yet is hydrated
 * by React for the click. One gone meanwhile (its part of the page drawn anew) or disabled is left
 * alone.
 *
 * Not in its first effect: the forms take their fields changed before React started in theirs
 * (useInputBeforeHydration), and a tap's handler made from the render before that (Add condition
 * adding a row to the draft as rendered) would undo them. Its first effect asks for a render of
 * its own, which React makes together with the forms' (updates from the same effects), so its
 * second comes once their new state is drawn, with handlers made from it.
 */
export function ReplayTapsBeforeReact(): null {
  const [drawn, setDrawn] = useState(false);
  useEffect(() => setDrawn(true), []);
  useEffect(() => {
    if (!drawn) return;
    // Outside React's effects; taken from the record only then (StrictMode runs an effect twice,
    // the first one's timer cleared).
    let timer = setTimeout(function replay() {
      const taps = recorded()?.taps ?? [];
      // Not while one of them sits in a Suspense boundary React has not hydrated yet: a click
      // there makes React hydrate the boundary inside the click, after the browser has ticked
      // the box, so React takes the ticked box as rendered and calls no onChange (a queue row's
      // box ticked before React started selected nothing). The boundaries hydrate right after
      // the page (ADR 034); React marks each element it hydrated with its fiber.
      if (taps.some((control) => control.isConnected && !hydratedByReact(control))) {
        timer = setTimeout(replay, 16);
        return;
      }
      for (const control of taps.splice(0))
        if (control.isConnected && !("disabled" in control && control.disabled)) control.click();
    }, 0);
    return () => clearTimeout(timer);
  }, [drawn]);
  return null;
}
