// Start-up configuration: one clear message per missing or malformed variable.
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://router.example.com",
};

/** Each value of the variable is refused with one problem, worded as `says`. */
function expectRefused(name: string, cases: readonly (readonly [string, RegExp])[]) {
  for (const [value, says] of cases) {
    try {
      parseEnv({ ...valid, [name]: value });
      expect.unreachable(`${name}=${value} should have been refused`);
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems).toHaveLength(1);
      expect((error as EnvError).problems[0]).toMatch(says);
    }
  }
}

describe("parseEnv", () => {
  it("accepts a minimal production environment and fills the defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe("file:./prisma/data/app.db");
    expect(env.WORKER).toBe("embedded");
    expect(env.SHOPIFY_ADMIN_ORIGIN).toBeUndefined();
  });

  it("refuses the simulator's hook in production, unless the simulator is on this machine", () => {
    const production = { ...valid, NODE_ENV: "production" };
    expect(() =>
      parseEnv({ ...production, SHOPIFY_ADMIN_ORIGIN: "https://sim.example.com" }),
    ).toThrow(/SHOPIFY_ADMIN_ORIGIN must not be set in production/);
    expect(() => parseEnv({ ...production, SHOPIFY_ADMIN_ORIGIN: "http://10.0.0.8:8787" })).toThrow(
      EnvError,
    );
    // The demo, the benchmark and the browser tests: the production build against a local simulator.
    expect(
      parseEnv({ ...production, SHOPIFY_ADMIN_ORIGIN: "http://127.0.0.1:8787" })
        .SHOPIFY_ADMIN_ORIGIN,
    ).toBe("http://127.0.0.1:8787");
    expect(
      parseEnv({
        ...valid,
        NODE_ENV: "development",
        SHOPIFY_ADMIN_ORIGIN: "https://sim.example.com",
      }).SHOPIFY_ADMIN_ORIGIN,
    ).toBe("https://sim.example.com");
  });

  it("names every missing variable at once, each on its own line", () => {
    try {
      parseEnv({});
      expect.unreachable("parseEnv should have thrown");
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const { problems, message } = error as EnvError;
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/^SHOPIFY_API_KEY is required/);
      expect(problems[1]).toMatch(/^SHOPIFY_API_SECRET is required/);
      expect(problems[2]).toMatch(/^SHOPIFY_APP_URL is required/);
      expect(message.split("\n")).toHaveLength(4);
    }
  });

  it("rejects a malformed URL and an unknown database kind with a message that says what to do", () => {
    expect(() => parseEnv({ ...valid, SHOPIFY_APP_URL: "router.example.com" })).toThrow(
      /SHOPIFY_APP_URL must be a full URL/,
    );
    expect(() => parseEnv({ ...valid, DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL must start with "file:" \(SQLite\) or "postgresql:\/\/"/,
    );
    expect(() => parseEnv({ ...valid, SCOPES: "read_orders, write orders" })).toThrow(
      /SCOPES must be/,
    );
  });

  it("takes a worker's routing slots as a whole number from 1 to 64, unset unless given", () => {
    expect(parseEnv(valid).WORKER_ROUTING_SLOTS).toBeUndefined();
    expect(parseEnv({ ...valid, WORKER_ROUTING_SLOTS: "6" }).WORKER_ROUTING_SLOTS).toBe(6);
    expect(parseEnv({ ...valid, WORKER_ROUTING_SLOTS: "" }).WORKER_ROUTING_SLOTS).toBeUndefined();
    // An operator's typo stops the worker's start with the variable's name and what it takes.
    expectRefused("WORKER_ROUTING_SLOTS", [
      ["six", /^WORKER_ROUTING_SLOTS must be a whole number of routing slots, from 1 to 64$/],
      ["2.5", /^WORKER_ROUTING_SLOTS must be a whole number of routing slots, from 1 to 64$/],
      ["0", /^WORKER_ROUTING_SLOTS must be at least 1/],
      ["-4", /^WORKER_ROUTING_SLOTS must be at least 1/],
      ["500", /^WORKER_ROUTING_SLOTS must be at most 64/],
    ]);
  });

  it("takes the connections a worker's statements share as a whole number from 1 to 100, unset unless given", () => {
    expect(parseEnv(valid).WORKER_DATABASE_CONNECTIONS).toBeUndefined();
    expect(
      parseEnv({ ...valid, WORKER_DATABASE_CONNECTIONS: "4" }).WORKER_DATABASE_CONNECTIONS,
    ).toBe(4);
    expect(
      parseEnv({ ...valid, WORKER_DATABASE_CONNECTIONS: "" }).WORKER_DATABASE_CONNECTIONS,
    ).toBeUndefined();
    // An operator's typo stops the worker's start with the variable's name and what it takes.
    expectRefused("WORKER_DATABASE_CONNECTIONS", [
      [
        "four",
        /^WORKER_DATABASE_CONNECTIONS must be a whole number of connections, from 1 to 100$/,
      ],
      ["2.5", /^WORKER_DATABASE_CONNECTIONS must be a whole number of connections, from 1 to 100$/],
      ["0", /^WORKER_DATABASE_CONNECTIONS must be at least 1/],
      ["-4", /^WORKER_DATABASE_CONNECTIONS must be at least 1/],
      ["500", /^WORKER_DATABASE_CONNECTIONS must be at most 100/],
    ]);
  });

  it("treats an empty value as unset, as a copied .env.example leaves them", () => {
    expect(parseEnv({ ...valid, SHOPIFY_ADMIN_ORIGIN: "", DATABASE_URL: "" }).DATABASE_URL).toBe(
      "file:./prisma/data/app.db",
    );
  });
});
