// The routing domain's public face: everything the app, the executor and the screens may use.
export * from "./snapshot";
export * from "./rules";
export * from "./schema";
export * from "./capability";
export * from "./steps";
export * from "./cancel";
export * from "./cancel-lines";
export * from "./cancel-check";
export * from "./minor-units";
export * from "./typed-amount";
export * from "./authorization";
export * from "./remake";
export * from "./extra-charge";
export * from "./holds";
export * from "./hold-words";
export * from "./plan";
export * from "./rule-set";
export * from "./order-reads";
export * from "./drift";
export * from "./dry-run";
export * from "./settled";
export { evaluate, type FulfillmentOrderMatches } from "./evaluate";

export type { Explanation } from "./decide";
export { fnv1a64, canonicalJson } from "./hash";
export * from "./vocabulary";
export * from "./rule-words";
