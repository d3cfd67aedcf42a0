// Small pure hashing for step keys and hold handles: the same content gives the same key on any machine.

// The 64-bit offset basis 0xcbf29ce484222325 as two 32-bit halves.
const BASIS_HI = 0xcbf29ce4;
const BASIS_LO = 0x84222325;
const TWO_32 = 0x100000000;

// The hash's two 32-bit halves while `fnv1a64` runs (it runs to the end before anything else):
// kept outside the function so the per-byte step is a plain call V8 inlines, not a closure made
// for every key.
let hi = 0;
let lo = 0;

function step(byte: number): void {
  lo = (lo ^ byte) >>> 0;
  // Multiply by the FNV prime 2^40 + 0x1b3, modulo 2^64: lo·0x1b3 fits a double exactly (41
  // bits); its upper part, hi·0x1b3 and lo shifted by 40 (lo·2^8 into the high half) make hi.
  const low = lo * 0x1b3;
  hi = (Math.imul(hi, 0x1b3) + Math.floor(low / TWO_32) + Math.imul(lo, 0x100)) >>> 0;
  lo = low >>> 0;
}

/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as 16 hex digits. Computed in two 32-bit
 * halves because numbers only keep 53 bits exactly and BigInt is needlessly slow here.
 */
export function fnv1a64(text: string): string {
  hi = BASIS_HI;
  lo = BASIS_LO;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (code < 0x80) {
      step(code);
    } else if (code < 0x800) {
      step(0xc0 | (code >> 6));
      step(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      step(0xe0 | (code >> 12));
      step(0x80 | ((code >> 6) & 0x3f));
      step(0x80 | (code & 0x3f));
    } else {
      step(0xf0 | (code >> 18));
      step(0x80 | ((code >> 12) & 0x3f));
      step(0x80 | ((code >> 6) & 0x3f));
      step(0x80 | (code & 0x3f));
    }
  }
  return hex8(hi) + hex8(lo);
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
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
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += JSON.stringify(key) + ":" + canonicalJson(member);
  }
  return out + "}";
}
