// Small pure hashing for step keys and hold handles: the same content gives the same key on any machine.

/*
 * FNV-1a, 64-bit, over UTF-8 bytes, kept as two 32-bit halves in int32s (small integers in V8,
 * so storing the state between the pieces of a value, `canonicalHash`, allocates nothing). The
 * multiply by the prime 2^40 + 0x1b3, modulo 2^64, in 32-bit integer arithmetic:
 *   low half: lo · 0x1b3 modulo 2^32, which is Math.imul(lo, 0x1b3);
 *   high half: hi · 0x1b3 (Math.imul) + lo << 8 (the 2^40 part: lo's low 24 bits) + the carry
 *   out of the low half's product (`carry`), modulo 2^32.
 * The low half's chain from byte to byte is then one xor and one imul, and the carry is worked
 * out beside it, where the four 16-bit limbs this replaces chained every partial product. The bytes, the hash and every key stay exactly what they were
 * (hash.test.ts holds it to the textbook BigInt form and to fixed keys).
 */
let lo = 0;
let hi = 0;

/** The bits of lo · 0x1b3 above the 32nd: its two 16-bit halves' products, each under 2^26. */
function carry(lo: number): number {
  return ((lo >>> 16) * 0x1b3 + (((lo & 0xffff) * 0x1b3) >>> 16)) >>> 16;
}

function startHash(): void {
  // The offset basis 0xcbf29ce484222325.
  lo = 0x84222325 | 0;
  hi = 0xcbf29ce4 | 0;
}

/**
 * Hashes the UTF-8 bytes of `text` into the state. The loop is ASCII's (every key, gid and most
 * names), with the per-byte step written out; any other character goes through `hashCodePoint`,
 * out of the loop (with the UTF-8 encoding inside it, the loop took about twice as long a byte).
 */
function hashText(text: string): void {
  let l = lo;
  let h = hi;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) {
      lo = l;
      hi = h;
      i = hashCodePoint(text, i, code);
      l = lo;
      h = hi;
      continue;
    }
    l ^= code;
    h = (((Math.imul(h, 0x1b3) + (l << 8)) | 0) + carry(l)) | 0;
    l = Math.imul(l, 0x1b3);
  }
  lo = l;
  hi = h;
}

/**
 * Hashes the UTF-8 bytes of the character at `i` (not ASCII) into the state: a surrogate pair is
 * one code point of four bytes, a lone surrogate three bytes as it stands (as the hash always
 * did; TextEncoder would make it U+FFFD, and JSON.stringify escapes it before a step key is
 * hashed). Returns the index of the character's last code unit.
 */
function hashCodePoint(text: string, i: number, first: number): number {
  let code = first;
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
      i++;
    }
  }
  if (code < 0x800) {
    hashByte(0xc0 | (code >> 6));
  } else if (code < 0x10000) {
    hashByte(0xe0 | (code >> 12));
    hashByte(0x80 | ((code >> 6) & 0x3f));
  } else {
    hashByte(0xf0 | (code >> 18));
    hashByte(0x80 | ((code >> 12) & 0x3f));
    hashByte(0x80 | ((code >> 6) & 0x3f));
  }
  hashByte(0x80 | (code & 0x3f));
  return i;
}

/** Hashes one byte into the state (JSON's punctuation, or a byte of a wider character). */
function hashByte(byte: number): void {
  const l = lo ^ byte;
  hi = (((Math.imul(hi, 0x1b3) + (l << 8)) | 0) + carry(l)) | 0;
  lo = Math.imul(l, 0x1b3);
}

// Two hex digits per byte, looked up: toString(16) and padStart took about 0.4 µs a 32-bit half,
// as long as hashing a short key.
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function hex8(half: number): string {
  return (
    HEX_BYTES[(half >>> 24) & 0xff]! +
    HEX_BYTES[(half >>> 16) & 0xff]! +
    HEX_BYTES[(half >>> 8) & 0xff]! +
    HEX_BYTES[half & 0xff]!
  );
}

function digest(): string {
  return hex8(hi) + hex8(lo);
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

// The same, with the colon that follows a member's key, for the hash: one piece instead of two.
const memberPrefixes = new Map<string, string>();

function memberPrefix(key: string): string {
  let prefix = memberPrefixes.get(key);
  if (prefix === undefined) {
    prefix = JSON.stringify(key) + ":";
    if (memberPrefixes.size < MAX_QUOTED_KEYS) memberPrefixes.set(key, prefix);
  }
  return prefix;
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

/**
 * A string as JSON.stringify writes it, hashed. Printable ASCII without `"` or `\` is written as it
 * stands between quotes, and is hashed in the same pass that checks it; at the first character
 * that JSON would escape, the state goes back to where the string began and its JSON is hashed.
 */
function hashString(text: string): void {
  const startLo = lo;
  const startHi = hi;
  let l = lo;
  let h = hi;
  for (let i = -1; i <= text.length; i++) {
    // The quotes, then the text's characters, then the closing quote.
    const code = i < 0 || i === text.length ? 0x22 : text.charCodeAt(i);
    if (
      i >= 0 &&
      i < text.length &&
      (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c)
    ) {
      lo = startLo;
      hi = startHi;
      hashText(JSON.stringify(text));
      return;
    }
    l ^= code;
    h = (((Math.imul(h, 0x1b3) + (l << 8)) | 0) + carry(l)) | 0;
    l = Math.imul(l, 0x1b3);
  }
  lo = l;
  hi = h;
}

/** A whole number from 0 to 2^31 - 1 as JSON writes it (its digits), without making the text. */
function hashDigits(n: number): void {
  if (n >= 10) hashDigits((n / 10) | 0);
  hashByte(0x30 + (n % 10));
}

function hashCanonical(value: unknown): void {
  if (value === null || typeof value !== "object") {
    if (typeof value === "string") hashString(value);
    else if (typeof value === "number" && (value | 0) === value && value >= 0) hashDigits(value);
    else if (typeof value === "boolean") hashText(value ? "true" : "false");
    else hashText(value === undefined ? "null" : JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    hashByte(0x5b); // [
    for (let i = 0; i < value.length; i++) {
      if (i > 0) hashByte(0x2c); // ,
      hashCanonical(value[i]);
    }
    hashByte(0x5d); // ]
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  hashByte(0x7b); // {
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    if (member === undefined) continue;
    if (!first) hashByte(0x2c); // ,
    first = false;
    hashText(memberPrefix(key));
    hashCanonical(member);
  }
  hashByte(0x7d); // }
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
