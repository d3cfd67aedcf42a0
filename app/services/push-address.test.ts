// Which push addresses are inside a network: as the merchant writes them (the Push screen's field
// error) and as a name resolves when the push connects (the socket's lookup).
import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { pushUrlProblem } from "./push.server";
import {
  InsideNetworkRefused,
  isInsideNetworkIp,
  refusingLookup,
} from "../fulfilment/push-address.server";

/** Production's check of an https address: neither http nor addresses inside a network allowed. */
const problem = (url: string) => pushUrlProblem(url, false, false);

describe("an address inside a network, as written", () => {
  // Each of these reached the push's sender before: IPv6 that carries a private IPv4, and ranges
  // of either family that are no receiver's (multicast, broadcast, reserved, documentation).
  it.each([
    ["IPv4-mapped private", "https://[::ffff:10.0.0.1]/hooks"],
    ["IPv4-mapped loopback", "https://[::ffff:127.0.0.1]/hooks"],
    ["IPv4-mapped cloud metadata", "https://[::ffff:169.254.169.254]/latest"],
    ["IPv4-mapped, hex", "https://[::ffff:7f00:1]/hooks"],
    ["IPv4-mapped CGNAT", "https://[::ffff:100.64.0.1]/hooks"],
    ["IPv4-translated (RFC 6145)", "https://[::ffff:0:a00:1]/hooks"],
    ["IPv4-compatible loopback", "https://[::127.0.0.1]/hooks"],
    ["IPv4-compatible private", "https://[::192.168.1.1]/hooks"],
    ["NAT64 of a private address", "https://[64:ff9b::10.0.0.1]/hooks"],
    ["NAT64 of loopback", "https://[64:ff9b::7f00:1]/hooks"],
    ["NAT64's local-use prefix", "https://[64:ff9b:1::a00:1]/hooks"],
    ["6to4 of a private address", "https://[2002:a00:1::1]/hooks"],
    ["IPv6 multicast", "https://[ff02::1]/hooks"],
    ["IPv6 site-local", "https://[fec0::1]/hooks"],
    ["IPv6 documentation", "https://[2001:db8::1]/hooks"],
    ["IPv6 discard", "https://[100::1]/hooks"],
    ["IPv4 multicast", "https://224.0.0.1/hooks"],
    ["IPv4 broadcast", "https://255.255.255.255/hooks"],
    ["IPv4 reserved", "https://240.0.0.1/hooks"],
    ["IETF protocol assignments", "https://192.0.0.8/hooks"],
    ["benchmarking", "https://198.18.0.1/hooks"],
    ["documentation", "https://203.0.113.7/hooks"],
    ["localhost as a fully qualified name", "https://localhost./hooks"],
  ])("refuses %s (%s)", (_, url) => {
    expect(problem(url)).toBe("private");
  });

  // What the check refused already, still refused (the URL parser writes 127.1 and 0x7f000001 as
  // 127.0.0.1 before the check reads it).
  it.each([
    "https://127.0.0.1/hooks",
    "https://127.1/hooks",
    "https://0x7f000001/hooks",
    "https://10.1.2.3/hooks",
    "https://172.16.0.1/hooks",
    "https://192.168.0.10/hooks",
    "https://169.254.169.254/hooks",
    "https://100.64.0.1/hooks",
    "https://0.0.0.0/hooks",
    "https://[::1]/hooks",
    "https://[::]/hooks",
    "https://[fd00::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://localhost/hooks",
    "https://printer.local/hooks",
  ])("refuses %s", (url) => {
    expect(problem(url)).toBe("private");
  });

  it.each([
    "https://erp.example.com/hooks",
    "https://93.184.215.14/hooks",
    "https://[2606:4700:4700::1111]/hooks",
    "https://[::ffff:93.184.215.14]/hooks",
    "https://[64:ff9b::93.184.215.14]/hooks",
  ])("lets an address on the internet through: %s", (url) => {
    expect(problem(url)).toBeNull();
  });

  it("allows addresses inside a network only where the operator says so", () => {
    expect(pushUrlProblem("https://[::ffff:10.0.0.1]/hooks", false, true)).toBeNull();
    // Development allows http, not addresses inside a network: that is the switch's alone.
    expect(pushUrlProblem("http://127.0.0.1:3000/hooks", true, false)).toBe("private");
  });

  it("takes what is not an IP for inside (a resolver's answer must be an address)", () => {
    expect(isInsideNetworkIp("not an address")).toBe(true);
    expect(isInsideNetworkIp("fe80::1%eth0")).toBe(true);
  });
});

/** What the socket's lookup answers for `hostname`, as Node asks it with autoSelectFamily. */
function lookedUp(hostname: string, all = true): Promise<LookupAddress[] | string> {
  return new Promise((resolve, reject) =>
    refusingLookup(hostname, { all }, (error, address) =>
      error ? reject(error) : resolve(address),
    ),
  );
}

describe("a name, as it resolves when the push connects", () => {
  it("refuses a name that resolves inside a network, naming the address for the operator", async () => {
    const refused = await lookedUp("localhost").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InsideNetworkRefused);
    expect((refused as InsideNetworkRefused).address).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it("passes an address through in the form Node asked for", async () => {
    expect(await lookedUp("93.184.215.14")).toEqual([{ address: "93.184.215.14", family: 4 }]);
    expect(await lookedUp("93.184.215.14", false)).toBe("93.184.215.14");
  });
});
