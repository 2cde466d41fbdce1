import { AppError } from '../errors/index.ts';

// Fatal: a lossy decode would turn bad bytes into U+FFFD, which the next sync writes to both sides.
// The BOM stays in the text, as it was read before (JSON.parse then refuses it).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A design file's bytes as text. JSON travels as UTF-8 (RFC 8259, section 8.1), and the webhook
 * refuses other bytes too; a design that is not UTF-8 is refused whole, so the sync fails with this
 * reason and writes nothing.
 */
export function decodeDesignText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AppError(
      'validation_failed',
      'The design file is not valid UTF-8 text; save or export it again as UTF-8 JSON',
    );
  }
}
