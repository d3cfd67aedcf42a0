// Whether a push may go to an address: refuses any IP inside a network (loopback, private, link-local,
// CGNAT, multicast, reserved… and the IPv6 forms that carry one) as written and as resolved at connect.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Whether pushes may go to addresses inside a network: only where the operator says the app runs
 * inside the network its receivers are in (`PUSH_ALLOW_PRIVATE_ADDRESSES=true`), and the tests that
 * push to a receiver on this machine, which say so themselves. Off unless set, in every mode: a
 * process started without NODE_ENV is as guarded as production.
 */
export const allowInsideNetworkHere = () => process.env.PUSH_ALLOW_PRIVATE_ADDRESSES === "true";

/** IPv6 forms that carry an IPv4 address in their last 32 bits: judged by that address. */
const CARRY_IPV4 = new Set(["ipv4Mapped", "rfc6145"]);
/** NAT64's well-known prefix (RFC 6052): 64:ff9b::a.b.c.d reaches a.b.c.d through the gateway. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96") as [ipaddr.IPv6, number];
/** IPv4-compatible IPv6 (::a.b.c.d, deprecated by RFC 4291): never a receiver's address. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96") as [ipaddr.IPv6, number];

/**
 * Whether an IP address is anything but a public unicast address. ipaddr.js names IANA's
 * special-purpose ranges (range() is "unicast" for none of them), so no range table is kept here;
 * what it leaves to the caller is the IPv6 that carries an IPv4 address. Not an IP: true.
 */
export function isInsideNetworkIp(text: string): boolean {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(text.replace(/^\[|\]$/g, ""));
  } catch {
    return true;
  }
  if (address.kind() === "ipv4") return address.range() !== "unicast";
  const v6 = address as ipaddr.IPv6;
  if (CARRY_IPV4.has(v6.range()) || v6.match(NAT64_WELL_KNOWN)) {
    const [high, low] = v6.parts.slice(-2) as [number, number];
    return isInsideNetworkIp(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`);
  }
  // 6to4, Teredo and NAT64's local-use prefix are "not unicast" too: refused whatever they carry.
  return v6.match(IPV4_COMPATIBLE) || v6.range() !== "unicast";
}

/**
 * Whether a URL's host is inside a network as written: a name that is this machine or the local
 * link's, or an IP literal inside one. A public name may still resolve inside: that is
 * refusingLookup's to find, at each connection.
 */
export function isInsideNetworkHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .toLowerCase()
    .replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return true;
  return ipaddr.isValid(host) ? isInsideNetworkIp(host) : false;
}

/** A push refused because its address is inside a network: nothing was sent to it. */
export class InsideNetworkRefused extends Error {
  constructor(readonly address: string) {
    super(`the address ${address} is inside a private network: not contacted`);
    this.name = "InsideNetworkRefused";
  }
}

/**
 * The socket's own lookup: resolves the name as Node would and refuses the connection if any of
 * its addresses is inside a network, so the address checked is the address connected to (a name
 * re-pointed between a check and the connection cannot slip through). Node calls no lookup for an
 * IP literal: those are checked as written (isInsideNetworkHost) before the request.
 */
export const refusingLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", undefined);
    const inside = addresses.find((a) => isInsideNetworkIp(a.address));
    if (inside) return callback(new InsideNetworkRefused(inside.address), "", undefined);
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};
