// A form's answer for the screen: the parsed value, or one message per field that did not parse.
import type { z } from "zod";

export interface FieldErrors {
  [field: string]: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The first message of each field (the form as a whole is "form"), so a field shows one error. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}
