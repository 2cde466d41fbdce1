// @ts-check
/** Tiny DOM builders: every value goes in as text or an attribute, never as markup. */
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Attributes by name; `text` sets the text, `on<event>` a listener; null, undefined and false leave
 * the attribute out, true sets it empty.
 * @typedef {Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>} Attrs
 */
/**
 * A child: a node or text; arrays (nested too) are flattened, null, undefined and false skipped.
 * @typedef {Node | string | number | boolean | null | undefined | readonly unknown[]} Child
 */

/**
 * @template {Element} E
 * @param {E} el
 * @param {Attrs | null | undefined} attrs
 * @param {Child[]} children
 * @returns {E}
 */
function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') el.textContent = String(value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * An HTML element: `h('button', { class: 'x', onclick: fn }, 'Label')`.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/**
 * An SVG element, same shape as `h`.
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs | null} [attrs]
 * @param {...Child} children
 * @returns {SVGElementTagNameMap[K]}
 */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/**
 * The page's element `#id`; with `kind` (`byId('token', HTMLInputElement)`) also checked to be one.
 * @template {HTMLElement} [E=HTMLElement]
 * @param {string} id
 * @param {{ new (): E, prototype: E }} [kind]
 * @returns {E}
 */
export function byId(id, kind) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no #${id}`);
  if (kind && !(el instanceof kind)) throw new Error(`The page's #${id} is not a ${kind.name}`);
  return /** @type {E} */ (el);
}

/**
 * Replaces an element's children.
 * @template {Element} E
 * @param {E} el
 * @param {...Child} children
 * @returns {E}
 */
export function fill(el, ...children) {
  el.replaceChildren();
  return build(el, {}, children);
}

/**
 * A `<time>` showing a readable local time, with the exact instant in `datetime` and the tooltip.
 * @param {string | null | undefined} iso
 */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', {}, String(iso));
  return h('time', { datetime: iso, title: iso }, formatDate(date));
}

/** @param {Date} date */
export function formatDate(date) {
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** @param {unknown} ms */
export function formatDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A link only for http(s) addresses; anything else (file://, javascript:) stays plain text.
 * @param {string | undefined} url
 * @param {string | undefined} [label]
 */
export function safeLink(url, label = url) {
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) {
    return h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, label);
  }
  return h('span', { class: 'mono' }, url ?? '—');
}

/**
 * A value of a conflict or a service field, readable: strings as-is, the rest as indented JSON.
 * @param {unknown} value
 */
export function valueView(value) {
  if (value === undefined) return h('span', { class: 'absent' }, 'absent');
  if (value === null) return h('span', { class: 'absent' }, 'null');
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return h('pre', { class: 'value' }, text);
}
