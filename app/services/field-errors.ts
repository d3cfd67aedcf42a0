// A form's answer for the screen: the parsed value, or, per field that did not parse, what to fix
// as catalogue Words (the route says them in the reader's language, as the rule forms do).
import type { z } from "zod";
import { fieldErrorWords } from "../routing/schema";
import type { Words } from "../routing/words";

export interface FieldErrors {
  [field: string]: Words;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The first message of each field (the form as a whole is "form"), so a field shows one error. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues)
    errors[String(issue.path[0] ?? "form")] ??= fieldErrorWords(issue.message);
  return errors;
}
