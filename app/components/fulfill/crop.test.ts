import { describe, expect, it } from "vitest";
import { fileUrlOf, lineFilesOf, parseCrop } from "./crop";

describe("the customer's crop", () => {
  it("reads the seeded form as fractions of the image", () => {
    expect(parseCrop("x:0.10 y:0.05 w:0.80 h:0.90")).toEqual({ x: 0.1, y: 0.05, w: 0.8, h: 0.9 });
  });
  it("reads percent", () => {
    expect(parseCrop("x:10% y:5% w:80% h:90%")).toEqual({ x: 0.1, y: 0.05, w: 0.8, h: 0.9 });
  });
  it("reads the comma forms: keyed with = and bare x,y,w,h in fractions or percent", () => {
    expect(parseCrop("x=0.1,y=0.05,w=0.8,h=0.9")).toEqual({ x: 0.1, y: 0.05, w: 0.8, h: 0.9 });
    expect(parseCrop("x=10, y=5, w=80, h=90")).toEqual({ x: 0.1, y: 0.05, w: 0.8, h: 0.9 });
    expect(parseCrop("0.1,0.1,0.8,0.8")).toEqual({ x: 0.1, y: 0.1, w: 0.8, h: 0.8 });
    const percent = parseCrop("12,8,88,92")!;
    expect([percent.x, percent.y, percent.w, percent.h].map((n) => n.toFixed(2))).toEqual([
      "0.12",
      "0.08",
      "0.88",
      "0.92",
    ]);
    expect(parseCrop("10%; 5%; 80%; 90%")).toEqual({ x: 0.1, y: 0.05, w: 0.8, h: 0.9 });
  });
  it("refuses what it cannot draw: missing sides, outside the image, nothing to see", () => {
    expect(parseCrop("12,8,88")).toBeNull();
    expect(parseCrop("50,50,80,80")).toBeNull();
    expect(parseCrop("x:0.5 y:0 w:0.8 h:1")).toBeNull();
    expect(parseCrop("x:0 y:0 w:0 h:1")).toBeNull();
  });
  it("links only http(s) files", () => {
    expect(fileUrlOf("https://cdn.example/IMG_2041.jpg")).toBe("https://cdn.example/IMG_2041.jpg");
    expect(fileUrlOf("IMG_2041.jpg")).toBeNull();
    expect(fileUrlOf("javascript:alert(1)")).toBeNull();
  });
});

describe("a line's files", () => {
  // The shape a photo-upload app leaves (simulator/src/seed/demo.ts printProperties): the name and
  // crop the customer sees, hidden links to the upload and the print file.
  const properties = [
    { key: "Image", value: "IMG_2041.jpg" },
    { key: "Crop", value: "x:0.10 y:0.05 w:0.80 h:0.90" },
    { key: "_print_file", value: "https://shop.example/cdn/shop/files/IMG_2041-print.jpg" },
    { key: "_image_url", value: "https://shop.example/cdn/shop/files/IMG_2041.jpg" },
  ];
  it("tells the customer's photo from the print file, and draws the crop over the photo", () => {
    const { files, imageUrl } = lineFilesOf(properties);
    expect(files).toEqual([
      {
        kind: "printFile",
        name: "print file",
        url: "https://shop.example/cdn/shop/files/IMG_2041-print.jpg",
      },
      { kind: "photo", name: "image url", url: "https://shop.example/cdn/shop/files/IMG_2041.jpg" },
    ]);
    expect(imageUrl).toBe("https://shop.example/cdn/shop/files/IMG_2041.jpg");
  });
  it("draws over another link only when it is an image, never over a print file alone", () => {
    expect(
      lineFilesOf([{ key: "Artwork", value: "https://files.example/a/b.png?v=2" }]).imageUrl,
    ).toBe("https://files.example/a/b.png?v=2");
    expect(lineFilesOf([{ key: "Proof", value: "https://files.example/proof.pdf" }]).imageUrl).toBe(
      null,
    );
    expect(lineFilesOf([{ key: "_print_file", value: "https://x.example/p.jpg" }]).imageUrl).toBe(
      null,
    );
  });
});
