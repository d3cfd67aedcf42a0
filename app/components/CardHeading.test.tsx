// The card heading the screens share: the title is the card's level-2 heading, the help under it.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CardHeading } from "./CardHeading";

describe("CardHeading", () => {
  it("says the title as the card's h2 and the help as the paragraph after it", () => {
    const html = renderToStaticMarkup(
      <CardHeading title="Rules" help="The first rule that matches decides." />,
    );
    expect(html).toMatch(/<h2[^>]*>Rules<\/h2>/);
    expect(html).toMatch(/<p[^>]*>The first rule that matches decides\.<\/p>/);
    expect(html.indexOf("<h2")).toBeLessThan(html.indexOf("<p"));
  });
});
