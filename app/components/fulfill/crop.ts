// Reads the customer's crop from a line item property so the order screen can draw it instead of
// printing numbers: keyed ("x:0.10 y:0.05 w:0.80 h:0.90", "x=10,y=5,w=80,h=90") or bare in the
// order x, y, w, h ("0.1,0.1,0.8,0.8", "12,8,88,92"), as fractions of the image or in percent.

export interface Crop {
  /** Left, top, width and height as fractions of the image (0–1). */
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The crop a property value describes, or null when it is not one this app can draw. */
export function parseCrop(value: string): Crop | null {
  const parts = Object.fromEntries(
    [...value.matchAll(/\b([xywh])\s*[:=]\s*(-?\d+(?:\.\d+)?)\s*(%?)/gi)].map((m) => [
      m[1]!.toLowerCase(),
      Number(m[2]) / (m[3] === "%" || Number(m[2]) > 1 ? 100 : 1),
    ]),
  ) as Partial<Crop>;
  // Without keys: four numbers in the order x, y, width, height, all fractions or all percent.
  const bare =
    /^\s*(-?\d+(?:\.\d+)?)%?\s*[,;\s]\s*(-?\d+(?:\.\d+)?)%?\s*[,;\s]\s*(-?\d+(?:\.\d+)?)%?\s*[,;\s]\s*(-?\d+(?:\.\d+)?)%?\s*$/.exec(
      value,
    );
  if (Object.keys(parts).length === 0 && bare) {
    const numbers = bare.slice(1, 5).map(Number);
    const scale = /%/.test(value) || numbers.some((n) => n > 1) ? 100 : 1;
    [parts.x, parts.y, parts.w, parts.h] = numbers.map((n) => n / scale);
  }
  const { x, y, w, h } = parts;
  if (x === undefined || y === undefined || w === undefined || h === undefined) return null;
  const inside = (n: number) => n >= 0 && n <= 1;
  if (![x, y, w, h].every(inside) || w === 0 || h === 0 || x + w > 1.0001 || y + h > 1.0001)
    return null;
  return { x, y, w, h };
}

/** A property value that is a link to a file (the uploaded image, the print file). */
export function fileUrlOf(value: string): string | null {
  return /^https?:\/\/\S+$/i.test(value.trim()) ? value.trim() : null;
}

/** Property keys that name the crop. */
export const isCropKey = (key: string) => /crop/i.test(key);

/** A file a line links: the customer's photo, the print file made from it, or another by its name. */
export interface LineFile {
  kind: "photo" | "printFile" | "other";
  /** The property's name as a person reads it ("_print_file" → "print file"). */
  name: string;
  url: string;
}

/** Which file of a line is which, from the property names upload apps use. */
export function lineFilesOf(properties: { key: string; value: string }[]): {
  files: LineFile[];
  /** The photo the crop is drawn over: the customer's upload, never the print file. */
  imageUrl: string | null;
} {
  const files = properties.flatMap(({ key, value }): LineFile[] => {
    const url = fileUrlOf(value);
    if (!url) return [];
    const name = key.replace(/^_+/, "").replace(/_/g, " ").trim() || key;
    const kind = /print/i.test(key)
      ? "printFile"
      : /image|photo|upload|picture/i.test(key)
        ? "photo"
        : "other";
    return [{ kind, name, url }];
  });
  const image = /\.(jpe?g|png|webp|gif|avif)(\?|$)/i;
  const imageUrl =
    files.find((f) => f.kind === "photo")?.url ??
    files.find((f) => f.kind === "other" && image.test(new URL(f.url).pathname))?.url ??
    null;
  return { files, imageUrl };
}
