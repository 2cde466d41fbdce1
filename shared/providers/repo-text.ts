// Fatal: a lossy decode turns bad bytes into U+FFFD, which a sync would then write to both sides.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Why a repository file under architecture/ could not be read as text. */
export const NOT_TEXT = 'not UTF-8 text (a binary file, or saved in another encoding); save it as UTF-8';

/** A repository file's bytes as text, or undefined when they are not UTF-8. */
export function decodeRepoText(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
