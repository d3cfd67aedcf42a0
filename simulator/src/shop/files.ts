// The shop's files as Shopify's CDN serves them (`/cdn/shop/files/<name>` on the shop's domain): the
// customers' uploaded photos and the print files that upload apps leave as line item properties.
import { crc32, deflateSync } from "node:zlib";

/** Where Shopify serves a shop's files from the shop's own domain (Shopify's "Files" in admin). */
export const FILES_PATH = "/cdn/shop/files/";

/** A file's public URL under the simulator's origin. */
export const fileUrl = (origin: string, name: string) =>
  `${origin.replace(/\/$/, "")}${FILES_PATH}${encodeURIComponent(name)}`;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of `width`×`height` RGB pixels, each from `pixel(x, y)`. */
function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * A landscape "photo" (sky, sun, hills), its colours drawn from the name, so each customer's upload
 * looks different and a crop drawn over it shows which part is printed.
 */
function photo(name: string): Buffer {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  const tint = (h: number, l: number): [number, number, number] => {
    const a = 0.5 * Math.min(l, 1 - l);
    const f = (n: number) => {
      const k = (n + h / 30) % 12;
      return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
    };
    return [f(0), f(8), f(4)];
  };
  const [w, h] = [600, 400];
  const sun = { x: 120 + (hash % 360), y: 110, r: 48 };
  return png(w, h, (x, y) => {
    const hill = 260 + 40 * Math.sin(x / 70 + hue) + 20 * Math.sin(x / 23);
    if (y > hill) return tint((hue + 120) % 360, 0.25 + (0.15 * (y - hill)) / (h - hill));
    if ((x - sun.x) ** 2 + (y - sun.y) ** 2 < sun.r ** 2) return [250, 220, 120];
    return tint(hue, 0.85 - (0.35 * y) / h);
  });
}

const cache = new Map<string, Buffer>();

/** The file's bytes and type, or null for a name the shop holds no file under. */
export function readShopFile(name: string): { body: Buffer; type: string } | null {
  // Uploads keep the customer's file name (often .jpg); the stand-in's bytes are always a PNG,
  // which browsers show by its Content-Type.
  if (!/^[\w.-]+\.(png|jpe?g)$/i.test(name)) return null;
  const stem = name.replace(/(-print)?\.[a-z]+$/i, "");
  let body = cache.get(stem);
  if (!body) cache.set(stem, (body = photo(stem)));
  return { body, type: "image/png" };
}
