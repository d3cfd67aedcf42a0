// Small pure hashing for step keys and hold handles: the same content gives the same key on any machine.

const OFFSET_BASIS = [0x2325, 0x8422, 0x9ce4, 0xcbf2] as const; // 0xcbf29ce484222325, low limb first

/**
 * FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as 16 hex digits. Computed in four 16-bit
 * limbs because numbers only keep 53 bits exactly and BigInt is needlessly slow here.
 */
export function fnv1a64(text: string): string {
  let v0: number = OFFSET_BASIS[0];
  let v1: number = OFFSET_BASIS[1];
  let v2: number = OFFSET_BASIS[2];
  let v3: number = OFFSET_BASIS[3];
  const step = (byte: number) => {
    v0 ^= byte;
    // Multiply by the FNV prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64.
    const t0 = v0 * 0x1b3;
    let t1 = v1 * 0x1b3;
    let t2 = v2 * 0x1b3 + (v0 << 8);
    const t3 = v3 * 0x1b3 + (v1 << 8);
    t1 += t0 >>> 16;
    v0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    v1 = t1 & 0xffff;
    v3 = (t3 + (t2 >>> 16)) & 0xffff;
    v2 = t2 & 0xffff;
  };
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
  return hex4(v3) + hex4(v2) + hex4(v1) + hex4(v0);
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, "0");
}

/**
 * JSON with object keys sorted and undefined members left out, so two equal values serialise
 * identically whatever order their keys were built in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return value === undefined ? "null" : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return "[" + value.map((item) => canonicalJson(item)).join(",") + "]";
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return (
    "{" + keys.map((key) => JSON.stringify(key) + ":" + canonicalJson(record[key])).join(",") + "}"
  );
}
