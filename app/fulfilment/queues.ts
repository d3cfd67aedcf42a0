// The fulfilment work's queues: their names, the keys that make a job once-only, and what every
// job handler is given. The queue itself (app/jobs) knows none of this.
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";
import type { AdminGateway } from "../shopify/gateway.server";
import type { OrderShape } from "../shopify/snapshot.server";
import type { Trigger } from "./route-order.server";

export const QUEUES = {
  routeOrder: "route-order",
  refreshOrder: "refresh-order",
  bulkItem: "bulk-item",
  bulkFeed: "bulk-feed",
  reconcile: "reconcile",
  flowAction: "flow-action",
  driftScan: "drift-scan",
  prune: "prune",
  extraCharge: "extra-charge",
  authorizationCheck: "authorization-check",
  stockSubscription: "stock-subscription",
} as const;

export interface WorkerDeps {
  db: Db;
  queue: JobQueue;
  gatewayFor: (shop: string) => Promise<AdminGateway>;
  now: () => Date;
  log?: (message: string) => void;
  /**
   * The app's URL (SHOPIFY_APP_URL): a shop-specific webhook subscription's address is joined to
   * it (ADR 101). Unset: the worker subscribes no shop.
   */
  appUrl?: string;
  /**
   * How long a paid order's webhook may be late before reconciliation routes the order itself
   * (RECONCILE_GRACE_MS unless set; ADR 027).
   */
  reconcileGraceMs?: number;
  /** Orders this worker routes at once (WORKER_ROUTING_SLOTS; 16 unless set; ADR 062). */
  routingSlots?: number;
  /**
   * Connections this worker's statements share on PostgreSQL (WORKER_DATABASE_CONNECTIONS; 6
   * unless set; ADR 070).
   */
  databaseConnections?: number;
}

export interface RouteOrderJob {
  shop: string;
  orderId: string;
  trigger: Trigger;
  /** For "webhook": the topic of the delivery that started the job (what started the decision). */
  cause?: string;
  /** The order's lines and units as the webhook that started the job said (sizes its read). */
  shape?: OrderShape;
}

export const routeOrderKey = (shop: string, orderId: string) => `route-order:${shop}:${orderId}`;
