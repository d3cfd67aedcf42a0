// A file the merchant downloads from a screen: its type and name, and never kept by a shared cache.

/**
 * The answer that hands `body` to the browser as a download named `filename` (ASCII: callers build
 * it from dates and order numbers). What the app lets a merchant download holds the shop's orders,
 * customers or notes, so no shared cache may keep it.
 */
export function downloadResponse(body: BodyInit, type: "csv" | "pdf", filename: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": type === "csv" ? "text/csv; charset=utf-8" : "application/pdf",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
