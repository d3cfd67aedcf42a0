// Reads a webhook body only up to a limit, so an oversized request costs neither memory nor time
// before it is refused: the Content-Length is checked first, and a streamed body is cut off.

/**
 * The largest body accepted. Shopify's biggest payloads (an order with hundreds of lines) stay
 * well under 1 MB; anything past this is not a delivery we want to hold in memory.
 */
export const MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024;

/** The body, or null when it is (or announces to be) longer than `limit` bytes. */
export async function readBodyWithin(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > limit) {
    // Not reading it: the server closes the connection instead of draining the body.
    await request.body?.cancel().catch(() => {});
    return null;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  // A stream's chunks sit on ArrayBuffers (never shared memory): one chunk is the body as it is.
  if (chunks.length === 1) return chunks[0] as Uint8Array<ArrayBuffer>;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
