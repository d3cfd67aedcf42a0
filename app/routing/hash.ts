// Small pure hashing for step keys and hold handles: the same content gives the same key on any machine.

/*
 * FNV-1a, 64-bit, over UTF-8 bytes, kept as four 16-bit limbs (lowest first) so that every
 * intermediate is a small integer: no BigInt (needlessly slow here), no floating point, and no
 * heap number when the state is stored between the pieces of a value (`canonicalHash`). A 32-bit
 * half above 2^31 kept in a module variable allocated one at every write.
 */
let h0 = 0;
let h1 = 0;
let h2 = 0;
let h3 = 0;

function startHash(): void {
  // The offset basis 0xcbf29ce484222325.
  h0 = 0x2325;
  h1 = 0x8422;
  h2 = 0x9ce4;
  h3 = 0xcbf2;
}

/** Hashes the UTF-8 bytes of `text` into the state; the per-byte step is written out in the loop. */
function hashText(text: string): void {
  let v0 = h0;
  let v1 = h1;
  let v2 = h2;
  let v3 = h3;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      // Multiply by the FNV prime 2^40 + 0x1b3, modulo 2^64: each limb times 0x1b3 with the carry
      // of the one below, plus the limbs two places down shifted by 8 (the 2^40 part).
      v0 ^= code;
      const t0 = v0 * 0x1b3;
      const t1 = v1 * 0x1b3 + (t0 >>> 16);
      const t2 = v2 * 0x1b3 + (v0 << 8) + (t1 >>> 16);
      v3 = (v3 * 0x1b3 + (v1 << 8) + (t2 >>> 16)) & 0xffff;
      v0 = t0 & 0xffff;
      v1 = t1 & 0xffff;
      v2 = t2 & 0xffff;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    let bytes: number;
    let count: number;
    if (code < 0x800) {
      bytes = ((0xc0 | (code >> 6)) << 8) | (0x80 | (code & 0x3f));
      count = 2;
    } else if (code < 0x10000) {
      bytes =
        ((0xe0 | (code >> 12)) << 16) |
        ((0x80 | ((code >> 6) & 0x3f)) << 8) |
        (0x80 | (code & 0x3f));
      count = 3;
    } else {
      bytes =
        ((0xf0 | (code >> 18)) << 24) |
        ((0x80 | ((code >> 12) & 0x3f)) << 16) |
        ((0x80 | ((code >> 6) & 0x3f)) << 8) |
        (0x80 | (code & 0x3f));
      count = 4;
    }
    for (let shift = (count - 1) * 8; shift >= 0; shift -= 8) {
      v0 ^= (bytes >>> shift) & 0xff;
      const t0 = v0 * 0x1b3;
      const t1 = v1 * 0x1b3 + (t0 >>> 16);
      const t2 = v2 * 0x1b3 + (v0 << 8) + (t1 >>> 16);
      v3 = (v3 * 0x1b3 + (v1 << 8) + (t2 >>> 16)) & 0xffff;
      v0 = t0 & 0xffff;
      v1 = t1 & 0xffff;
      v2 = t2 & 0xffff;
    }
  }
  h0 = v0;
  h1 = v1;
  h2 = v2;
  h3 = v3;
}

// Two hex digits per byte, looked up: toString(16) and padStart took about 0.4 µs a 32-bit half,
// as long as hashing a short key.
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function hex4(limb: number): string {
  return HEX_BYTES[limb >>> 8]! + HEX_BYTES[limb & 0xff]!;
}

function digest(): string {
  return hex4(h3) + hex4(h2) + hex4(h1) + hex4(h0);
}

/** FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as 16 hex digits. */
export function fnv1a64(text: string): string {
  startHash();
  hashText(text);
  return digest();
}

// Object keys as JSON strings: step inputs use a few dozen names, quoted once each.
const MAX_QUOTED_KEYS = 1000;
const quotedKeys = new Map<string, string>();

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * An object's keys in the order Array.prototype.sort gives them. Insertion sort: objects here have
 * a handful of keys, and `>` orders strings by UTF-16 code units exactly as the default sort does,
 * at a fraction of its cost.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/**
 * JSON with object keys sorted and undefined members left out, so two equal values serialise
 * identically whatever order their keys were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return value === undefined ? "null" : JSON.stringify(value);
  }
  // Plain loops: this is the step keys' definition, and screens and tests use it too.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += canonicalJson(value[i]);
    }
    return out + "]";
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += quotedKey(key) + ":" + canonicalJson(member);
  }
  return out + "}";
}

/** Text JSON.stringify would only put in quotes: printable ASCII without `"` or `\`. */
function needsNoEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

function hashCanonical(value: unknown): void {
  if (value === null || typeof value !== "object") {
    if (typeof value === "string" && needsNoEscape(value)) {
      hashText('"');
      hashText(value);
      hashText('"');
    } else hashText(value === undefined ? "null" : JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    hashText("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) hashText(",");
      hashCanonical(value[i]);
    }
    hashText("]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  hashText("{");
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    if (member === undefined) continue;
    if (!first) hashText(",");
    first = false;
    hashText(quotedKey(key));
    hashText(":");
    hashCanonical(member);
  }
  hashText("}");
}

/**
 * `fnv1a64(canonicalJson(value))`, hashed piece by piece without making the text: every planned
 * step's key is one. The pieces never split a character (JSON.stringify escapes lone surrogates),
 * so their bytes are the text's.
 */
export function canonicalHash(value: unknown): string {
  startHash();
  hashCanonical(value);
  return digest();
}
