// Free TCP ports for the servers a browser test starts: the finder the multi-process tests use.
export { freePort, onFreePort } from "../../support/processes.ts";
