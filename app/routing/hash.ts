// Small pure hashing for step keys and hold handles: the same content gives the same key on any machine.

// The 64-bit offset basis 0xcbf29ce484222325 as two 32-bit halves.
const BASIS_HI = 0xcbf29ce4;
const BASIS_LO = 0x84222325;

/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as 16 hex digits. Computed in two 32-bit
 * halves because numbers only keep 53 bits exactly and BigInt is needlessly slow here. The halves
 * are locals and the per-byte step is written out in the loop: kept in module variables, every
 * write of a number above 2^31 allocated a heap number, and hashing one step key cost tens of µs.
 */
export function fnv1a64(text: string): string {
  let hi = BASIS_HI;
  let lo = BASIS_LO;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      // Multiply by the FNV prime 2^40 + 0x1b3, modulo 2^64: lo·0x1b3 (41 bits) is taken in two
      // 16-bit halves so every product stays a small integer (no floating-point division for its
      // carry); its upper part, hi·0x1b3 and lo shifted by 40 (lo·2^8 into the high half) make hi.
      lo = (lo ^ code) >>> 0;
      const low = (lo & 0xffff) * 0x1b3;
      const high = (lo >>> 16) * 0x1b3 + (low >>> 16);
      hi = (Math.imul(hi, 0x1b3) + (high >>> 16) + Math.imul(lo, 0x100)) >>> 0;
      lo = ((high << 16) | (low & 0xffff)) >>> 0;
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
      lo = (lo ^ ((bytes >>> shift) & 0xff)) >>> 0;
      const low = (lo & 0xffff) * 0x1b3;
      const high = (lo >>> 16) * 0x1b3 + (low >>> 16);
      hi = (Math.imul(hi, 0x1b3) + (high >>> 16) + Math.imul(lo, 0x100)) >>> 0;
      lo = ((high << 16) | (low & 0xffff)) >>> 0;
    }
  }
  return hex8(hi) + hex8(lo);
}

// Two hex digits per byte, looked up: toString(16) and padStart took about 0.4 µs a half (values
// above 2^31 convert as doubles), as long as hashing a short key.
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function hex8(n: number): string {
  return (
    HEX_BYTES[n >>> 24]! +
    HEX_BYTES[(n >>> 16) & 0xff]! +
    HEX_BYTES[(n >>> 8) & 0xff]! +
    HEX_BYTES[n & 0xff]!
  );
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
 * JSON with object keys sorted and undefined members left out, so two equal values serialise
 * identically whatever order their keys were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return value === undefined ? "null" : JSON.stringify(value);
  }
  // Plain loops: step keys are made for every planned step of every order.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += canonicalJson(value[i]);
    }
    return out + "]";
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Insertion sort: objects here have a handful of keys, and `>` orders strings by UTF-16 code
  // units exactly as Array.prototype.sort's default does, at a fraction of its cost.
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
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
