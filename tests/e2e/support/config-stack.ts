// Moved to the one browser harness (./harness.ts); kept while browser tests written against it
// still import it.
export {
  DEMO_SHOP as CONFIG_SHOP,
  fieldError,
  openApp as openScreen,
  saveBar,
  startStack as startConfigStack,
  titleBar,
  toast,
  waitFor,
  type Stack as ConfigStack,
} from "./harness.ts";
