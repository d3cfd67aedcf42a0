import { describe, expect, it } from "vitest";
import { fileUrlOf, parseCrop } from "./crop";

describe("the customer's crop", () => {
  it("reads the seeded form as fractions of the image", () => {
    expect(parseCrop("x:0.10 y:0.05 w:0.80 h:0.90")).toEqual({ x: 0.1, y: 0.05, w: 0.8, h: 0.9 });
  });
  it("reads percent", () => {
    expect(parseCrop("x:10% y:5% w:80% h:90%")).toEqual({ x: 0.1, y: 0.05, w: 0.8, h: 0.9 });
  });
  it("refuses what it cannot draw: missing sides, outside the image, nothing to see", () => {
    expect(parseCrop("12,8,88,92")).toBeNull();
    expect(parseCrop("x:0.5 y:0 w:0.8 h:1")).toBeNull();
    expect(parseCrop("x:0 y:0 w:0 h:1")).toBeNull();
  });
  it("links only http(s) files", () => {
    expect(fileUrlOf("https://cdn.example/IMG_2041.jpg")).toBe("https://cdn.example/IMG_2041.jpg");
    expect(fileUrlOf("IMG_2041.jpg")).toBeNull();
    expect(fileUrlOf("javascript:alert(1)")).toBeNull();
  });
});
