// What the merchant ticked or typed before React started on a server-rendered screen, given to the
// form once React has hydrated the fields, as if it had been done then.
import { useEffect, useRef } from "react";
import { servedByTheServer, typedBeforeReact } from "./before-react";

/**
 * How the field `name` differs from what React rendered, or undefined where it does not: a box
 * ticked or unticked (its checkedness), a radio chosen (its value), a text typed (its value), an
 * option chosen in a dropdown (its value), a multiline text typed (its text), the boxes ticked of
 * a group named `name[]` (their values).
 *
 * React listens to nothing before it starts, so such a tap or keystroke changes the page and not
 * the form's state. Hydrating, React 18 leaves the box's checkedness, the input's value and the
 * select's choice as the merchant left them and sets `defaultChecked` / `defaultValue` to what it
 * rendered (a select's rendered choice is its `selected` option), so the two differ exactly where
 * the merchant changed the field. A textarea's text it puts back to what it rendered, so the text
 * typed is the page's record of it (before-react.ts). Only fields the server rendered are read.
 */
export function changedBeforeHydration(name: string): string | boolean | undefined {
  if (name.endsWith("[]")) return choicesChanged(name);
  for (const field of document.getElementsByName(name)) {
    if (!servedByTheServer(field)) continue;
    if (field instanceof HTMLTextAreaElement) {
      const typed = typedBeforeReact(name);
      if (typed !== undefined && typed !== field.defaultValue) return typed;
    } else if (field instanceof HTMLSelectElement) {
      // With no option marked, the browser shows the first one.
      const rendered =
        [...field.options].find((option) => option.defaultSelected) ?? field.options[0];
      if (rendered && field.value !== rendered.value) return field.value;
    } else if (!(field instanceof HTMLInputElement)) {
      continue;
    } else if (field.type === "checkbox") {
      if (field.checked !== field.defaultChecked) return field.checked;
    } else if (field.type === "radio") {
      if (field.checked && !field.defaultChecked) return field.value;
    } else if (field.value !== field.defaultValue) {
      return field.value;
    }
  }
  return undefined;
}

/**
 * A group of boxes sharing one name (`name[]`, Polaris's ChoiceList of several choices): the
 * values ticked, joined by ", ", where any box differs from what React rendered.
 */
function choicesChanged(name: string): string | undefined {
  const boxes = [...document.getElementsByName(name)].filter(
    (field): field is HTMLInputElement =>
      field instanceof HTMLInputElement && field.type === "checkbox" && servedByTheServer(field),
  );
  if (!boxes.some((box) => box.checked !== box.defaultChecked)) return undefined;
  return boxes
    .filter((box) => box.checked)
    .map((box) => box.value)
    .join(", ");
}

/**
 * Once the component's fields have hydrated (its first effect), hands the ones of `names` the
 * merchant changed before React started to `take` in one go (by name), as their onChange would
 * have: the save bar opens and a save includes them.
 */
export function useInputBeforeHydration(
  names: readonly string[],
  take: (changed: Record<string, string | boolean>) => void,
) {
  const first = useRef({ names, take });
  useEffect(() => {
    const changed: Record<string, string | boolean> = {};
    for (const name of first.current.names) {
      const value = changedBeforeHydration(name);
      if (value !== undefined) changed[name] = value;
    }
    if (Object.keys(changed).length > 0) first.current.take(changed);
  }, []);
}
