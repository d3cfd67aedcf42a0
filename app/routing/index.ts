// The routing domain's public face: everything the app, the executor and the screens may use.
export * from "./snapshot";
export * from "./rules";
export * from "./schema";
export * from "./capability";
export * from "./steps";
export * from "./cancel";
export * from "./authorization";
export * from "./remake";
export * from "./holds";
export * from "./plan";
export * from "./drift";
export * from "./dry-run";
export * from "./settled";
export { evaluate, type FulfillmentOrderMatches } from "./evaluate";
export { describeCondition } from "./conditions";
export { describeAction, type Explanation } from "./decide";
export { fnv1a64, canonicalJson } from "./hash";
export * from "./vocabulary";
