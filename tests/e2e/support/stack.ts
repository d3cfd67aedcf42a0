// Moved to the one browser harness (./harness.ts); kept while browser tests written against it
// still import it.
export { startStack, type Stack } from "./harness.ts";
