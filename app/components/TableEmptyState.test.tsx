// What an empty table says: its title, then the help under it.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TableEmptyState } from "./TableEmptyState";

describe("TableEmptyState", () => {
  it("says the title, then the help", () => {
    const html = renderToStaticMarkup(
      <TableEmptyState title="No pushes yet" help="They show here once one is sent." />,
    );
    const title = html.indexOf(">No pushes yet</p>");
    const help = html.indexOf(">They show here once one is sent.</p>");
    expect(title).toBeGreaterThan(-1);
    expect(help).toBeGreaterThan(title);
  });
});
