// Stuck requests and drift: what a lab said against what Shopify shows, in plain words, and the
// next Steps of a repair that only takes the paths the Admin API allows.
import { engineSaid, said, type Words } from "./words";
import {
  canProduce,
  capabilityGaps,
  profileReasonsWords,
  profilesInPreferenceOrder,
  type CapabilityGap,
  type CapabilityProfile,
} from "./capability";
import {
  FULFILLMENT_ORDER_ACTIONS as ACTIONS,
  type FulfillmentOrder,
  type FulfillmentOrderRequestStatus,
  type FulfillmentOrderStatus,
  type Gid,
  type LineItem,
  type Location,
  type OrderSnapshot,
} from "./snapshot";
import { makeStep, type Step, type StepWhy } from "./steps";

export const STUCK_KINDS = [
  "request_not_accepted",
  "cancellation_pending",
  "rejected_no_fallback",
  "failed_to_complete",
  "cancellation_rejected",
] as const;
export type StuckKind = (typeof STUCK_KINDS)[number];

export const DRIFT_KINDS = [
  "shipped_not_fulfilled",
  "fulfilled_open_at_lab",
  "accepted_closed_or_moved",
  "quantity_mismatch",
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];
export type FindingKind = StuckKind | DriftKind;

/** Shopify actions a repair reads from supportedActions besides the routing ones. */
const REPAIR_ACTIONS = {
  cancelFulfillmentOrder: "CANCEL_FULFILLMENT_ORDER",
  requestCancellation: "REQUEST_CANCELLATION",
} as const;

/** How long a request may wait before it counts as stuck: the merchant's Settings. */
export interface MonitorSettings {
  stuckRequestAfterHours: number;
  stuckCancellationAfterHours: number;
}

export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  stuckRequestAfterHours: 24,
  stuckCancellationAfterHours: 24,
};

/** One fulfillment order as the shop-wide scan reads it: enough to see a request stand still. */
export interface ScannedFulfillmentOrder {
  id: Gid;
  orderId: Gid;
  orderName: string;
  status: FulfillmentOrderStatus;
  requestStatus: FulfillmentOrderRequestStatus;
  /**
   * When Shopify last changed it. A request's status change is such a change, and nothing else
   * can change a fulfillment order while its request is submitted, so this dates the request.
   */
  updatedAt: string;
  locationId: Gid;
  locationName: string;
  /** The fulfilment service's name when one owns the location. */
  serviceName: string | null;
  /** Per order line: what the fulfillment order holds and what of it is fulfilled. */
  lineItems?: { lineItemId: Gid; totalQuantity: number; remainingQuantity: number }[];
  /** What Shopify allows on it now (supportedActions); a repair that needs one not read is not offered. */
  supportedActions?: string[];
  /**
   * The lines still to make, as capability profiles compare them: read by the scan only for a
   * fulfillment order that stands still, and only when the shop has capability profiles.
   */
  producing?: ProducedLine[];
}

/** A line of stuck work as capability profiles compare it. */
export type ProducedLine = Pick<LineItem, "productType" | "variantOptions" | "requiresShipping">;

/** What the lab said about one fulfillment order, from its answers on Shopify or the merchant. */
export interface LabReport {
  fulfillmentOrderId: Gid;
  orderId: Gid;
  orderName: string;
  /** "accepted" and "in_production": the lab is working on it. */
  status: "accepted" | "in_production" | "shipped" | "cancelled";
  /** Units the lab shipped per order line (for "shipped"). */
  lines: { lineItemId: Gid; quantity: number; title?: string }[];
  tracking: { company: string | null; number: string | null; url: string | null } | null;
  /** "service": read from the fulfilment service's answers on Shopify; "merchant": recorded by the merchant. */
  source: "service" | "merchant";
  labName: string;
  /** The lab's location when the report was made. */
  locationId: Gid | null;
  recordedAt: string;
}

/** Where a repair sends the work and what happens there. */
export interface RepairTarget {
  locationId: Gid;
  name: string;
  /** Set when a fulfilment service owns the location: the work is requested from it again. */
  fulfillmentServiceHandle: string | null;
}

export interface RepairIntent {
  /** The order lines the repair is about; they may move between fulfillment orders on the way. */
  lineItemIds: Gid[];
  to: RepairTarget;
  /**
   * Where the order's work stood still (a re-route's): the location it is stuck at, then those
   * earlier repairs still in force took it away from. The rules' fallback and a later re-route's
   * default do not send the order's work back there. Absent on findings kept before it was.
   */
  awayFrom?: { locationId: Gid; name: string }[];
  /** "request": ask the service at `to`; "fulfil": fulfil there with the lab's tracking; "leave": open at `to` for the merchant. */
  then: "request" | "fulfil" | "leave";
  /** For "fulfil": how many units of each line Shopify should show fulfilled when done. */
  fulfilledTarget?: { lineItemId: Gid; quantity: number }[];
  tracking?: LabReport["tracking"];
}

export interface Finding {
  /** Stable: the same problem on the same fulfillment order is the same finding on every scan. */
  key: string;
  category: "stuck" | "drift";
  kind: FindingKind;
  orderId: Gid;
  orderName: string;
  fulfillmentOrderId: Gid;
  labName: string | null;
  /** Since when the problem stands (its age is counted from here). */
  since: string;
  /** What is wrong, in one plain sentence (words the screens put in the merchant's language). */
  summary: Words;
  evidence: { shopify: Words[]; lab: Words[] };
  /** What one click does; null when no path the Admin API allows can fix it. */
  repair: RepairIntent | null;
  /** What the merchant can do when there is no repair, or before choosing one. */
  advice: Words | null;
}

// Words for the merchant are stored as a key of the catalogue's "findings" section and its values,
// so a finding reads in the language of whoever opens it (the screens, Flow and the order block
// render it).
export type { Words };

function w(key: string, params?: Words["params"]): Words {
  return params ? { key: `findings.${key}`, params } : { key: `findings.${key}` };
}

const HOUR = 3600_000;

function hoursBetween(from: string, now: Date): number {
  return (now.getTime() - Date.parse(from)) / HOUR;
}

/** "26 hours", "3 days": how long something has stood. */
export function describeAge(since: string, now: Date): Words {
  const hours = Math.max(0, Math.floor(hoursBetween(since, now)));
  if (hours < 1) return w("age.underHour");
  if (hours < 48) return w("age.hours", { count: hours });
  return w("age.days", { count: Math.floor(hours / 24) });
}

/** A fulfillment order's status or request status, in the merchant's words. */
function statusWords(kind: "status" | "requestStatus", value: string): Words {
  return w(`${kind}.${value}`);
}

function findingKey(kind: FindingKind, fulfillmentOrderId: Gid): string {
  return `${kind}:${fulfillmentOrderId}`;
}

function lineIdsOf(fo: ScannedFulfillmentOrder): Gid[] {
  return (fo.lineItems ?? []).filter((l) => l.remainingQuantity > 0).map((l) => l.lineItemId);
}

/**
 * Where a stuck request goes by default, or why nowhere. `why` is null when the shop has no
 * location to offer at all; otherwise it says, in the merchant's words, why no location can make
 * the work.
 */
export type RerouteChoice = { to: RepairTarget } | { to: null; why: Words | null };

function targetAt(l: Location): RepairTarget {
  return { locationId: l.id, name: l.name, fulfillmentServiceHandle: l.fulfillmentServiceHandle };
}

/** What a profile lacks for the lines, each gap said once however many lines share it. */
function gapsOnce(profile: CapabilityProfile, lines: readonly ProducedLine[]): CapabilityGap[] {
  const seen = new Set<string>();
  return lines
    .flatMap((line) => capabilityGaps(profile, line))
    .filter((gap) => {
      const key = JSON.stringify(gap);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * Where a stuck request goes by default. Without capability profiles: another lab first, else the
 * merchant's own location. With them: the first location, in the merchant's preference order (as
 * routing prefers them: in-house first, then partners, each as the Capabilities screen lists
 * them), that can produce every line still to make, never the location it is stuck at; none when
 * no such location exists, since a wrong default would send work where it cannot be made.
 * `excluded`: the location it is stuck at, and those the order's work was repaired away from.
 */
export function defaultRerouteTarget(
  locations: readonly Location[],
  excluded: Gid | readonly Gid[],
  capability?: { profiles: readonly CapabilityProfile[]; lines: readonly ProducedLine[] },
): RerouteChoice {
  const not = new Set(typeof excluded === "string" ? [excluded] : excluded);
  const others = locations.filter((l) => !not.has(l.id));
  if (!capability || capability.profiles.length === 0) {
    const lab = others.find((l) => l.fulfillmentServiceHandle);
    const own = others.find((l) => !l.fulfillmentServiceHandle);
    const to = lab ?? own;
    return to ? { to: targetAt(to) } : { to: null, why: null };
  }
  // Downloads and gift cards are made nowhere: routing by capability passes them over too.
  const lines = capability.lines.filter((l) => l.requiresShipping);
  const ordered = profilesInPreferenceOrder(capability.profiles).filter(
    (p) => !not.has(p.locationId),
  );
  const byId = new Map(others.map((l) => [l.id, l]));
  for (const profile of ordered) {
    const location = byId.get(profile.locationId);
    if (location && lines.every((line) => canProduce(profile, line)))
      return { to: targetAt(location) };
  }
  // Each other profile's reasons, every line's gaps said once.
  const reasons = ordered.map((profile) => {
    if (!byId.has(profile.locationId))
      return { profile, gaps: [{ kind: "location_missing" } as CapabilityGap] };
    return { profile, gaps: gapsOnce(profile, lines) };
  });
  return {
    to: null,
    why:
      reasons.length > 0
        ? w("advice.noCapableLocation", { reasons: profileReasonsWords(reasons) })
        : w("advice.noOtherProfile"),
  };
}

/** A location Shopify says a fulfillment order may move to (`FulfillmentOrder.locationsForMove`). */
export interface LocationForMove {
  target: RepairTarget;
  /** Shopify's `movable`: false where the move would be refused (the items are not stocked there). */
  movable: boolean;
  /** Shopify's reason when not movable, in Shopify's words. */
  message: string | null;
}

/** One place the Re-route picker offers a stuck request, in the merchant's order of preference. */
export interface RerouteOption extends LocationForMove {
  /**
   * Why its capability profile cannot make the lines still to make, in the catalogue's words
   * (routing's own reasons); null when it can, or when the shop has no profiles to judge by.
   */
  cannotMake: Words | null;
}

/**
 * What the Re-route picker offers a stuck fulfillment order: the locations Shopify allows a move to
 * consider, never the one it is stuck at, in the merchant's order of preference. With capability
 * profiles: the profiles' locations as routing prefers them (in-house first, then partners, each as
 * the Capabilities screen lists them), then locations without a profile; each says why it cannot
 * make the lines when it cannot (a location without a profile cannot, for routing). Without
 * profiles: labs first, then the merchant's own, as the default has always gone. `selected` is the
 * default re-route when Shopify allows it, else the first movable location that can make the work,
 * else none: a location that cannot make it is never chosen for the merchant.
 */
export function rerouteOptions(
  forMove: readonly LocationForMove[],
  fromLocationId: Gid,
  capability: { profiles: readonly CapabilityProfile[]; lines: readonly ProducedLine[] } | null,
  defaultLocationId: Gid | null,
): { options: RerouteOption[]; selected: Gid | null } {
  const others = forMove.filter((l) => l.target.locationId !== fromLocationId);
  let options: RerouteOption[];
  if (!capability || capability.profiles.length === 0) {
    const labsFirst = [
      ...others.filter((l) => l.target.fulfillmentServiceHandle),
      ...others.filter((l) => !l.target.fulfillmentServiceHandle),
    ];
    options = labsFirst.map((l) => ({ ...l, cannotMake: null }));
  } else {
    const lines = capability.lines.filter((l) => l.requiresShipping);
    const ordered = profilesInPreferenceOrder(capability.profiles);
    const rank = (l: LocationForMove) => {
      const i = ordered.findIndex((p) => p.locationId === l.target.locationId);
      return i < 0 ? ordered.length : i;
    };
    options = [...others]
      .sort((a, b) => rank(a) - rank(b))
      .map((l) => {
        const profile = ordered.find((p) => p.locationId === l.target.locationId);
        if (!profile)
          return {
            ...l,
            cannotMake: engineSaid("capability.profile", {
              profile: l.target.name,
              gaps: engineSaid("capability.noProfileHere"),
            }),
          };
        const gaps = gapsOnce(profile, lines);
        return { ...l, cannotMake: gaps.length ? profileReasonsWords([{ profile, gaps }]) : null };
      });
  }
  const byDefault = options.find((o) => o.target.locationId === defaultLocationId && o.movable);
  const capable = options.find((o) => o.movable && !o.cannotMake);
  return { options, selected: (byDefault ?? capable)?.target.locationId ?? null };
}

/** Whether the merchant may choose where a finding's work goes: a stuck request Shopify lets go of. */
export function choosesLocation(finding: {
  category: string;
  kind: string;
  repair: RepairIntent | null;
}): boolean {
  if (finding.category !== "stuck") return false;
  // A refused cancellation can be re-routed only by asking again, and only where Shopify offers
  // that: the scan made a repair then, and none otherwise.
  return finding.repair !== null || finding.kind !== "cancellation_rejected";
}

/**
 * The merchant's own first location: where the app may create fulfillments itself. Not chosen by
 * capability: a repair that fulfils there records what a lab already made and shipped, and since
 * 2024-10 an app cannot fulfil at a location another fulfilment service owns (docs/LABS.md).
 */
export function ownLocation(locations: Location[]): RepairTarget | null {
  const own = locations.find((l) => !l.fulfillmentServiceHandle);
  return own ? { locationId: own.id, name: own.name, fulfillmentServiceHandle: null } : null;
}

/**
 * A re-route to the default target, or, when there is none, why (null: nothing to say). Never to
 * a location the order's work was repaired away from before (`awayFrom`): it stood still there.
 */
function rerouteIntent(
  fo: ScannedFulfillmentOrder,
  locations: Location[],
  profiles: readonly CapabilityProfile[],
  awayFrom: readonly Gid[],
): { repair: RepairIntent | null; why: Words | null } {
  // Profiles but no lines read: which location can make the work is not known, so none is offered.
  if (profiles.length > 0 && !fo.producing) return { repair: null, why: null };
  const passedOver = locations.filter((l) => awayFrom.includes(l.id) && l.id !== fo.locationId);
  const choice = defaultRerouteTarget(
    locations,
    [fo.locationId, ...passedOver.map((l) => l.id)],
    profiles.length > 0 ? { profiles, lines: fo.producing ?? [] } : undefined,
  );
  if (!choice.to) {
    if (passedOver.length === 0) return { repair: null, why: choice.why };
    const repairedAway = w("advice.repairedAwayFrom", {
      locations: passedOver.map((l) => l.name).join(", "),
    });
    return { repair: null, why: withWhy(choice.why, repairedAway) };
  }
  return {
    repair: {
      lineItemIds: lineIdsOf(fo),
      to: choice.to,
      awayFrom: [
        { locationId: fo.locationId, name: fo.locationName },
        ...passedOver.map((l) => ({ locationId: l.id, name: l.name })),
      ],
      then: choice.to.fulfillmentServiceHandle ? "request" : "leave",
    },
    why: null,
  };
}

/** The finding's advice: what it says anyway, and why no re-route is offered when there is none. */
function withWhy(advice: Words | null, why: Words | null): Words | null {
  if (!why) return advice;
  return advice ? w("advice.both", { first: advice, then: why }) : why;
}

/**
 * Which kind of standing still a lab's fulfillment order shows, if any (see detectStuck). The scan
 * asks first, so that it reads more of a fulfillment order only when it is stuck.
 */
export function stuckKindOf(
  fo: ScannedFulfillmentOrder,
  settings: MonitorSettings,
  now: Date,
): StuckKind | null {
  if (!fo.serviceName) return null;
  const hours = hoursBetween(fo.updatedAt, now);
  if (fo.status === "INCOMPLETE") return "failed_to_complete";
  if (fo.requestStatus === "SUBMITTED")
    return hours >= settings.stuckRequestAfterHours ? "request_not_accepted" : null;
  if (fo.requestStatus === "CANCELLATION_REQUESTED")
    return hours >= settings.stuckCancellationAfterHours ? "cancellation_pending" : null;
  if (fo.requestStatus === "CANCELLATION_REJECTED" && fo.status === "IN_PROGRESS")
    return "cancellation_rejected";
  if (fo.requestStatus === "REJECTED" && fo.status === "OPEN") return "rejected_no_fallback";
  return null;
}

/**
 * Requests that stand still: submitted and not answered, a cancellation not answered, a
 * rejection nothing followed up, a lab that gave up (Shopify's "incomplete"), a cancellation the
 * lab refused (the work stays with it and nothing can move it until the lab lets go). With the
 * shop's capability profiles (in the Capabilities screen's order), a re-route is offered only to
 * a location that can make every line still to make (`producing`).
 */
export function detectStuck(
  fulfillmentOrders: ScannedFulfillmentOrder[],
  locations: Location[],
  settings: MonitorSettings,
  now: Date,
  profiles: readonly CapabilityProfile[] = [],
  /** Per order: the locations its work was repaired away from (repairs still in force). */
  repairedAwayFrom: ReadonlyMap<Gid, readonly Gid[]> = new Map(),
): Finding[] {
  const findings: Finding[] = [];
  for (const fo of fulfillmentOrders) {
    const kind = stuckKindOf(fo, settings, now);
    if (!kind || !fo.serviceName) continue;
    const lab = fo.serviceName;
    const age = describeAge(fo.updatedAt, now);
    const base = {
      category: "stuck" as const,
      key: findingKey(kind, fo.id),
      kind,
      orderId: fo.orderId,
      orderName: fo.orderName,
      fulfillmentOrderId: fo.id,
      labName: lab,
      since: fo.updatedAt,
      summary: w(`summary.${kind}`, { lab, order: fo.orderName, age }),
    };
    const reroute = () =>
      rerouteIntent(fo, locations, profiles, repairedAwayFrom.get(fo.orderId) ?? []);
    switch (kind) {
      case "failed_to_complete": {
        const { repair, why } = reroute();
        findings.push({
          ...base,
          evidence: {
            shopify: [w("evidence.incompleteAt", { location: fo.locationName })],
            lab: [w("evidence.closedWithoutFulfilling", { lab })],
          },
          repair,
          advice: withWhy(null, why),
        });
        break;
      }
      case "request_not_accepted": {
        const { repair, why } = reroute();
        findings.push({
          ...base,
          evidence: {
            shopify: [w("evidence.requestWaiting", { age })],
            lab: [
              w("evidence.noAnswer", {
                lab,
                limit: w("age.hours", { count: settings.stuckRequestAfterHours }),
              }),
            ],
          },
          repair,
          advice: withWhy(null, why),
        });
        break;
      }
      case "cancellation_pending": {
        const { repair, why } = reroute();
        findings.push({
          ...base,
          evidence: {
            shopify: [w("evidence.cancellationWaiting", { age })],
            lab: [
              w("evidence.noAnswer", {
                lab,
                limit: w("age.hours", { count: settings.stuckCancellationAfterHours }),
              }),
            ],
          },
          repair,
          advice: withWhy(w("advice.mayStillShip", { lab }), why),
        });
        break;
      }
      case "cancellation_rejected": {
        // Shopify allows no move or cancel now: the only path it may offer is asking the lab again.
        const askAgain = (fo.supportedActions ?? []).includes(REPAIR_ACTIONS.requestCancellation);
        const { repair, why } = askAgain ? reroute() : { repair: null, why: null };
        findings.push({
          ...base,
          evidence: {
            shopify: [w("evidence.cancellationRejectedAt", { location: fo.locationName })],
            lab: [w("evidence.labRejectedCancellation", { lab })],
          },
          repair,
          advice: withWhy(
            w(repair ? "advice.contactLabOrAskAgain" : "advice.contactLab", { lab }),
            why,
          ),
        });
        break;
      }
      case "rejected_no_fallback": {
        const { repair, why } = reroute();
        findings.push({
          ...base,
          evidence: {
            shopify: [w("evidence.rejectedStillAt", { location: fo.locationName })],
            lab: [w("evidence.labRejected", { lab })],
          },
          repair,
          advice: withWhy(null, why),
        });
        break;
      }
    }
  }
  return findings;
}

/** What Shopify shows for one fulfillment order a lab report is about. */
export interface ShopifySide {
  fulfillmentOrder: ScannedFulfillmentOrder | null;
  /** Per order line of the report: units Shopify shows fulfilled and still unfulfilled, order-wide. */
  lines: { lineItemId: Gid; title: string; fulfilled: number; unfulfilled: number }[];
}

function describeLines(lines: { quantity: number; title?: string }[]): string {
  return lines.map((l) => `${l.quantity} × ${l.title ?? "item"}`).join(", ");
}

/** The decision trace's words for a step (the trace is written in English, like every step). */
function trackingWords(t: LabReport["tracking"]): Words {
  if (!t || (!t.number && !t.company)) return w("tracking.none");
  return w("tracking.some", { tracking: [t.company, t.number].filter(Boolean).join(" ") });
}

/**
 * Compares each lab report with Shopify: shipped at the lab but unfulfilled on Shopify, fulfilled
 * on Shopify while the lab still works on it, a lab working on something Shopify closed or
 * moved, and shipped quantities that disagree.
 */
export function detectDrift(
  reports: { report: LabReport; shopify: ShopifySide }[],
  locations: Location[],
  now: Date,
): Finding[] {
  const findings: Finding[] = [];
  for (const { report, shopify } of reports) {
    const fo = shopify.fulfillmentOrder;
    const lab = report.labName;
    const base = {
      category: "drift" as const,
      orderId: report.orderId,
      orderName: report.orderName,
      fulfillmentOrderId: report.fulfillmentOrderId,
      labName: lab,
      since: report.recordedAt,
    };
    const said =
      report.source === "merchant"
        ? w("evidence.recordedFrom", { lab })
        : w("evidence.labAnswered", { lab });
    const own = ownLocation(locations);
    if (report.status === "shipped") {
      const shippedLines = report.lines.map((l) => {
        const s = shopify.lines.find((x) => x.lineItemId === l.lineItemId);
        return {
          ...l,
          title: s?.title ?? l.title,
          fulfilled: s?.fulfilled ?? 0,
          unfulfilled: s?.unfulfilled ?? 0,
        };
      });
      const missing = shippedLines.filter((l) => l.fulfilled < l.quantity && l.unfulfilled > 0);
      if (missing.length === 0) continue;
      const noneFulfilled = missing.every((l) => l.fulfilled === 0);
      const kind: DriftKind = noneFulfilled ? "shipped_not_fulfilled" : "quantity_mismatch";
      const repair: RepairIntent | null = own
        ? {
            lineItemIds: missing.map((l) => l.lineItemId),
            to: own,
            then: "fulfil",
            fulfilledTarget: missing.map((l) => ({
              lineItemId: l.lineItemId,
              quantity: l.quantity,
            })),
            tracking: report.tracking,
          }
        : null;
      findings.push({
        ...base,
        key: findingKey(kind, report.fulfillmentOrderId),
        kind,
        summary: w(noneFulfilled ? "summary.shipped_not_fulfilled" : "summary.quantity_mismatch", {
          lab,
          order: report.orderName,
        }),
        evidence: {
          lab: [
            w("evidence.labShipped", {
              said,
              lines: describeLines(shippedLines),
              tracking: trackingWords(report.tracking),
            }),
          ],
          shopify: missing.map((l) =>
            w("evidence.lineCounts", {
              title: l.title ?? "",
              fulfilled: l.fulfilled,
              unfulfilled: l.unfulfilled,
            }),
          ),
        },
        repair,
        advice: repair ? null : w("advice.askToFulfil", { lab }),
      });
      continue;
    }
    if (report.status !== "accepted" && report.status !== "in_production") continue;
    const labSays = w(
      report.status === "accepted" ? "evidence.labAccepted" : "evidence.labInProduction",
      { said, age: describeAge(report.recordedAt, now) },
    );
    const nothingLeft = shopify.lines.length > 0 && shopify.lines.every((l) => l.unfulfilled === 0);
    if (nothingLeft) {
      findings.push({
        ...base,
        key: findingKey("fulfilled_open_at_lab", report.fulfillmentOrderId),
        kind: "fulfilled_open_at_lab",
        summary: w("summary.fulfilled_open_at_lab", { lab, order: report.orderName }),
        evidence: {
          lab: [labSays],
          shopify: shopify.lines.map((l) =>
            w("evidence.lineAllFulfilled", { title: l.title, fulfilled: l.fulfilled }),
          ),
        },
        repair: null,
        advice: w("advice.askToCancel", { lab }),
      });
      continue;
    }
    if (!fo) continue;
    const moved = report.locationId !== null && fo.locationId !== report.locationId;
    const closed = fo.status === "CLOSED" || fo.status === "CANCELLED";
    if (!moved && !closed) continue;
    const to: RepairTarget | null = report.locationId
      ? (() => {
          const l = locations.find((x) => x.id === report.locationId);
          return l
            ? {
                locationId: l.id,
                name: l.name,
                fulfillmentServiceHandle: l.fulfillmentServiceHandle,
              }
            : null;
        })()
      : null;
    findings.push({
      ...base,
      key: findingKey("accepted_closed_or_moved", report.fulfillmentOrderId),
      kind: "accepted_closed_or_moved",
      summary: moved
        ? w("summary.accepted_moved", {
            lab,
            order: report.orderName,
            location: fo.locationName,
          })
        : w(fo.status === "CANCELLED" ? "summary.accepted_cancelled" : "summary.accepted_closed", {
            lab,
            order: report.orderName,
          }),
      evidence: {
        lab: [labSays],
        shopify: [
          moved
            ? w("evidence.movedTo", {
                location: fo.locationName,
                request: statusWords("requestStatus", fo.requestStatus),
              })
            : w("evidence.closedWith", {
                status: statusWords("status", fo.status),
                request: statusWords("requestStatus", fo.requestStatus),
              }),
          ...shopify.lines
            .filter((l) => l.unfulfilled > 0)
            .map((l) =>
              w("evidence.lineUnfulfilled", { title: l.title, unfulfilled: l.unfulfilled }),
            ),
        ],
      },
      // Sending the work back to the lab makes its work count; otherwise it ships twice.
      repair:
        to && to.fulfillmentServiceHandle
          ? {
              lineItemIds: shopify.lines.filter((l) => l.unfulfilled > 0).map((l) => l.lineItemId),
              to,
              then: "request",
            }
          : null,
      advice: w("advice.askToStop", { lab }),
    });
  }
  return findings;
}

/** What the service's answers on Shopify say, as a lab report; null when Shopify says nothing new. */
export function reportFromShopify(
  fo: ScannedFulfillmentOrder,
  previous: LabReport | null,
  now: Date,
): LabReport | null {
  if (!fo.serviceName) return null;
  let status: LabReport["status"] | null = null;
  if (["ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"].includes(fo.requestStatus))
    status = fo.status === "CLOSED" ? "shipped" : "accepted";
  if (fo.requestStatus === "CANCELLATION_ACCEPTED") status = "cancelled";
  if (!status) return null;
  // The merchant's own record of the lab is newer knowledge than Shopify's request status.
  if (previous?.source === "merchant") return null;
  if (previous && previous.status === status && previous.source === "service") return null;
  const shipped =
    status === "shipped"
      ? (fo.lineItems ?? [])
          .map((l) => ({
            lineItemId: l.lineItemId,
            quantity: l.totalQuantity - l.remainingQuantity,
          }))
          .filter((l) => l.quantity > 0)
      : [];
  return {
    fulfillmentOrderId: fo.id,
    orderId: fo.orderId,
    orderName: fo.orderName,
    status,
    lines: shipped,
    tracking: null,
    source: "service",
    labName: fo.serviceName,
    locationId: fo.locationId,
    recordedAt: now.toISOString(),
  };
}

/** A repair under way: what it was asked to do and what it did so far. */
export interface RepairState extends RepairIntent {
  /** Fulfillment orders this repair asked the lab to cancel: their answer is awaited, not overridden. */
  cancellationRequested: Gid[];
  notifyCustomer: boolean;
}

export type RepairProgress =
  | { state: "steps"; steps: Step[] }
  | { state: "waiting"; message: Words }
  | { state: "done"; message: Words }
  | { state: "refused"; message: Words };

function isActive(fo: FulfillmentOrder): boolean {
  return fo.status !== "CLOSED" && fo.status !== "CANCELLED";
}

function statusOf(fo: FulfillmentOrder): Words {
  return w(`status.${fo.status}`);
}

/**
 * The next Steps of a repair, from Shopify's state now: take the work back from the lab (cancel a
 * request it has not accepted, ask it to cancel one it has), split off what the repair is about,
 * move it, then request it again or fulfil with the lab's tracking. Every Step is one Shopify
 * allows now (supportedActions); a state it does not allow ends the repair with its reason.
 * Called again after every change, so a repair interrupted anywhere resumes where Shopify is.
 */
export function planRepair(
  snapshot: OrderSnapshot,
  repair: RepairState,
  why: StepWhy,
): RepairProgress {
  const o = snapshot.order;
  const wanted = new Set(repair.lineItemIds);
  if (o.cancelledAt) return { state: "refused", message: said("repair.orderCanceled") };

  // How many more units Shopify must show fulfilled, per line ("fulfil" repairs).
  const need = new Map<Gid, number>();
  if (repair.then === "fulfil") {
    for (const t of repair.fulfilledTarget ?? []) {
      const line = snapshot.lineItems.find((l) => l.id === t.lineItemId);
      if (!line) continue;
      const fulfilled = line.quantity - line.unfulfilledQuantity;
      if (t.quantity > fulfilled) need.set(t.lineItemId, t.quantity - fulfilled);
    }
    if (need.size === 0) return { state: "done", message: said("repair.labShipmentsFulfilled") };
  }

  // What is at the target already counts first: nothing is taken back from the lab that is not needed.
  const holding = snapshot.fulfillmentOrders
    .filter(
      (fo) =>
        isActive(fo) &&
        fo.lineItems.some((l) => wanted.has(l.lineItemId) && l.remainingQuantity > 0),
    )
    .sort(
      (a, b) =>
        Number(b.assignedLocation.locationId === repair.to.locationId) -
        Number(a.assignedLocation.locationId === repair.to.locationId),
    );
  if (holding.length === 0) return { state: "done", message: said("repair.nothingUnfulfilled") };

  const steps: Step[] = [];
  const waiting: string[] = [];
  let remainingNeed = new Map(need);
  for (const fo of holding) {
    const atTarget = fo.assignedLocation.locationId === repair.to.locationId;
    const can = (action: string) => fo.supportedActions.includes(action);
    const mine = fo.lineItems.filter((l) => wanted.has(l.lineItemId) && l.remainingQuantity > 0);
    if (atTarget) {
      if (repair.then === "leave") continue;
      if (repair.then === "request") {
        if (["SUBMITTED", "ACCEPTED"].includes(fo.requestStatus)) continue;
        if (!can(ACTIONS.requestFulfillment))
          return {
            state: "refused",
            message: said("repair.requestNotAllowed", { to: repair.to.name, status: statusOf(fo) }),
          };
        steps.push(
          makeStep(
            "fulfillmentOrderSubmitFulfillmentRequest",
            o.id,
            fo.id,
            { id: fo.id, notifyCustomer: repair.notifyCustomer },
            engineSaid("step.request", { service: repair.to.name }),
            why,
          ),
        );
        continue;
      }
      // "fulfil": only what the lab shipped and Shopify does not show yet.
      const lines = mine
        .map((l) => ({
          id: l.id,
          lineItemId: l.lineItemId,
          quantity: Math.min(l.remainingQuantity, remainingNeed.get(l.lineItemId) ?? 0),
        }))
        .filter((l) => l.quantity > 0);
      if (lines.length === 0) continue;
      if (!can(ACTIONS.createFulfillment))
        return {
          state: "refused",
          message: fo.fulfillmentService
            ? said("repair.onlyServiceFulfills", {
                service: fo.fulfillmentService.name,
                to: repair.to.name,
              })
            : said("repair.fulfillNotAllowed", { to: repair.to.name, status: statusOf(fo) }),
        };
      remainingNeed = new Map(remainingNeed);
      for (const l of lines)
        remainingNeed.set(l.lineItemId, (remainingNeed.get(l.lineItemId) ?? 0) - l.quantity);
      const t = repair.tracking;
      steps.push(
        makeStep(
          "fulfillmentCreate",
          o.id,
          fo.id,
          {
            fulfillment: {
              lineItemsByFulfillmentOrder: [
                {
                  fulfillmentOrderId: fo.id,
                  fulfillmentOrderLineItems: lines.map((l) => ({ id: l.id, quantity: l.quantity })),
                },
              ],
              notifyCustomer: repair.notifyCustomer,
              ...(t && (t.number || t.company)
                ? { trackingInfo: { company: t.company, number: t.number, url: t.url } }
                : {}),
            },
          },
          engineSaid("step.fulfillWithLabTracking", {
            count: lines.reduce((n, l) => n + l.quantity, 0),
            tracking: trackingWords(t ?? null),
          }),
          why,
        ),
      );
      continue;
    }

    // Not at the target yet: take it back from the lab first, if anything on it is still needed.
    if (repair.then === "fulfil" && !mine.some((l) => (remainingNeed.get(l.lineItemId) ?? 0) > 0))
      continue;
    if (fo.status === "ON_HOLD")
      return {
        state: "refused",
        message: said("repair.onHold", { at: fo.assignedLocation.name }),
      };
    const rs = fo.requestStatus;
    if (
      rs === "SUBMITTED" ||
      (rs === "CANCELLATION_REQUESTED" && !repair.cancellationRequested.includes(fo.id))
    ) {
      if (!can(REPAIR_ACTIONS.cancelFulfillmentOrder))
        return {
          state: "refused",
          message: said("repair.cancelNotAllowed", { at: fo.assignedLocation.name }),
        };
      steps.push(
        makeStep(
          "fulfillmentOrderCancel",
          o.id,
          fo.id,
          { id: fo.id },
          engineSaid("step.withdrawRequest", { service: fo.assignedLocation.name }),
          why,
        ),
      );
      continue;
    }
    if (rs === "CANCELLATION_REQUESTED") {
      waiting.push(fo.assignedLocation.name);
      continue;
    }
    if (rs === "ACCEPTED" || rs === "CANCELLATION_REJECTED") {
      if (rs === "CANCELLATION_REJECTED" && repair.cancellationRequested.includes(fo.id))
        return {
          state: "refused",
          message: said("repair.cancellationRefused", { at: fo.assignedLocation.name }),
        };
      if (!can(REPAIR_ACTIONS.requestCancellation))
        return {
          state: "refused",
          message: said("repair.cancellationRequestNotAllowed", { at: fo.assignedLocation.name }),
        };
      steps.push(
        makeStep(
          "fulfillmentOrderSubmitCancellationRequest",
          o.id,
          fo.id,
          { id: fo.id, message: "Fulfilment Router: re-routing this order" },
          engineSaid("step.askToCancel", { service: fo.assignedLocation.name }),
          why,
        ),
      );
      continue;
    }
    // Free to move. Split off first when the fulfillment order holds more than the repair is about.
    // Not a move of some lines (ADR 030) although it costs a change and a round more: the part that
    // stays is the lab's, and its reports name that fulfillment order's id, which a split leaves in
    // place (its payload's fulfillmentOrder is the original; a replacement only when the original
    // could not be split) while a partial move may close it (the mutation's "existing fulfillment
    // order is closed") or send it away with the moved lines (the payload's description); tried, a
    // lab that then reported the rest shipped under the id it knew went unmatched.
    const extra = fo.lineItems.filter(
      (l) =>
        l.remainingQuantity > 0 &&
        (!wanted.has(l.lineItemId) ||
          (repair.then === "fulfil" &&
            l.remainingQuantity > (remainingNeed.get(l.lineItemId) ?? 0))),
    );
    const takeAll = extra.length === 0;
    if (!takeAll) {
      const take = mine
        .map((l) => ({
          id: l.id,
          quantity:
            repair.then === "fulfil"
              ? Math.min(l.remainingQuantity, remainingNeed.get(l.lineItemId) ?? 0)
              : l.remainingQuantity,
        }))
        .filter((l) => l.quantity > 0);
      if (take.length === 0) continue;
      if (!can(ACTIONS.split))
        return {
          state: "refused",
          message: said("repair.splitNotAllowed", {
            at: fo.assignedLocation.name,
            status: statusOf(fo),
          }),
        };
      steps.push(
        makeStep(
          "fulfillmentOrderSplit",
          o.id,
          fo.id,
          {
            fulfillmentOrderSplits: [
              { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: take },
            ],
          },
          engineSaid("step.splitToReroute", { location: fo.assignedLocation.name }),
          why,
        ),
      );
      // The split gives new ids: the move is planned after the next read.
      return { state: "steps", steps };
    }
    if (!can(ACTIONS.move))
      return {
        state: "refused",
        message: said("repair.moveNotAllowed", {
          at: fo.assignedLocation.name,
          status: statusOf(fo),
          requestStatus: w(`requestStatus.${rs}`),
        }),
      };
    steps.push(
      makeStep(
        "fulfillmentOrderMove",
        o.id,
        fo.id,
        { id: fo.id, newLocationId: repair.to.locationId },
        engineSaid("step.move", { from: fo.assignedLocation.name, to: repair.to.name }),
        why,
      ),
    );
    if (repair.then === "fulfil")
      for (const l of mine)
        remainingNeed.set(
          l.lineItemId,
          (remainingNeed.get(l.lineItemId) ?? 0) - l.remainingQuantity,
        );
  }
  if (steps.length > 0) return { state: "steps", steps };
  if (waiting.length > 0)
    return {
      state: "waiting",
      message: said("repair.waitingForCancellation", { at: waiting.join(", ") }),
    };
  return {
    state: "done",
    message:
      repair.then === "request"
        ? said("repair.withLab", { to: repair.to.name })
        : repair.then === "leave"
          ? said("repair.readyToFulfill", { to: repair.to.name })
          : said("repair.fulfilledWithTracking"),
  };
}
