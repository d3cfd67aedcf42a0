// Reads a webhook body only up to a limit, so an oversized request costs neither memory nor time
// before it is refused: the Content-Length is checked first, and a streamed body stops being kept.
// The rest of a refused body is still read and dropped, up to a bound, so the sender gets our 413.

/**
 * The largest body accepted. Shopify's biggest payloads (an order with hundreds of lines) stay
 * well under 1 MB; anything past this is not a delivery we want to hold in memory.
 */
export const MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024;

/**
 * How much of a refused body is still read and dropped, as the production server's Node path does
 * (server/webhooks.ts, the same number; ADR 006). A sender writes the whole body before it reads
 * the answer (Shopify, and a proxy or load balancer in front of the app), so a body given up on
 * unread reaches it as a reset, which a proxy answers 502, not as our 413. A longer body is given
 * up on: the server closes the connection after the answer.
 */
export const DROP_AT_MOST_BYTES = 32 * 1024 * 1024;

/**
 * Reads what is left of a refused body and keeps none of it: at most `atMost` bytes, then gives up
 * on the rest. A sender that went away meanwhile needs no answer, so its error is not ours.
 */
async function dropRest(reader: ReadableStreamDefaultReader<Uint8Array>, atMost: number) {
  let dropped = 0;
  try {
    while (dropped <= atMost) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The body ended in an error (the sender went away): nothing more to read.
  }
}

/** The body, or null when it is (or announces to be) longer than `limit` bytes. */
export async function readBodyWithin(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = request.headers.get("Content-Length");
  const reader = request.body?.getReader();
  if (declared !== null && Number(declared) > limit) {
    // Refused before a byte is kept; a length over what would be dropped is not read at all.
    if (Number(declared) > DROP_AT_MOST_BYTES) await reader?.cancel().catch(() => {});
    else if (reader) await dropRest(reader, DROP_AT_MOST_BYTES);
    return null;
  }
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await dropRest(reader, DROP_AT_MOST_BYTES);
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
