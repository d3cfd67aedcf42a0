// Moved to the one browser harness (./harness.ts); kept while browser tests written against it
// still import it.
export {
  DEMO_SHOP,
  startStack as startFullStack,
  type SimOrderInput,
  type Stack as FullStack,
} from "./harness.ts";
