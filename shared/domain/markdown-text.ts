/**
 * Text from outside (a model's paragraph, a service name from the design) shown in GitHub Markdown.
 * GitHub finds @mentions, #references and bare URLs in the RENDERED text, after Markdown escapes are
 * undone, so a backslash does not stop them: a zero-width space (as an entity) after `@` and `#` and
 * inside `://` and `www.` does. Everything else that is markup is backslash-escaped, `&` `<` `>`
 * become entities (no HTML), and line breaks become spaces (no headings, lists or blocks).
 */
const ZWSP = '&#8203;';

/** One line of plain text: control characters out, whitespace collapsed, cut to `max` characters. */
export function plainParagraph(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  const collapsed = flat.replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

/** `text` as literal Markdown text: nothing in it renders as markup, a link, HTML or a mention. */
export function escapeMarkdownText(text: string): string {
  return (
    plainParagraph(text, Number.POSITIVE_INFINITY)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_{}[\]()!|~=+\-.:^$"'])/g, '\\$1')
      // `#` first: the entities added after it hold a `#` of their own.
      .replace(/#/g, `#${ZWSP}`)
      .replace(/@/g, `@${ZWSP}`)
      .replace(/\\:\/\//g, `\\:${ZWSP}//`)
      .replace(/www\\\./gi, (m) => `${m.slice(0, 3)}${ZWSP}\\.`)
  );
}
