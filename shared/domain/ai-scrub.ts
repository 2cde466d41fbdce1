/**
 * Personal data and secrets removed from text before it leaves for a model provider. Each shape is
 * matched at a word edge, so ordinary words that merely contain `sk-` or `AIza` are left alone.
 * Order matters: PEM blocks first (they contain base64 that other shapes could nibble at), then
 * Anthropic before OpenAI (`sk-ant-` also starts with `sk-`).
 */
export type ScrubKind =
  | 'pem'
  | 'anthropic-key'
  | 'openai-key'
  | 'github-token'
  | 'google-token'
  | 'google-api-key'
  | 'aws-key'
  | 'email'
  | 'ipv4'
  | 'ipv6';

const EDGE = '(?<![A-Za-z0-9_-])';
const PATTERNS: Array<[ScrubKind, RegExp, ((m: string) => boolean)?]> = [
  ['pem', /-----BEGIN [A-Z0-9 ]{1,40}-----[\s\S]*?-----END [A-Z0-9 ]{1,40}-----/g],
  ['anthropic-key', new RegExp(`${EDGE}sk-ant-[A-Za-z0-9_-]{16,}`, 'g')],
  ['openai-key', new RegExp(`${EDGE}sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`, 'g'), hasDigit],
  ['github-token', new RegExp(`${EDGE}(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})`, 'g')],
  ['google-token', new RegExp(`${EDGE}ya29\\.[A-Za-z0-9_-]{20,}`, 'g')],
  ['google-api-key', new RegExp(`${EDGE}AIza[0-9A-Za-z_-]{35}`, 'g')],
  ['aws-key', new RegExp(`${EDGE}(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])`, 'g')],
  // `git@github.com:owner/repo` is an SSH remote, not someone's address.
  [
    'email',
    /(?<![A-Za-z0-9._%+-])(?!git@)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
  ],
  [
    'ipv4',
    /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w.]*\d)/g,
  ],
  [
    'ipv6',
    /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?![\w:])/g,
    isIpv6,
  ],
];

export interface ScrubResult {
  text: string;
  /** How many of each shape were replaced. */
  found: Partial<Record<ScrubKind, number>>;
}

/** Replaces each match with `[redacted:<kind>]`. */
export function scrubText(text: string): ScrubResult {
  const found: ScrubResult['found'] = {};
  let out = text;
  for (const [kind, pattern, accept] of PATTERNS) {
    out = out.replace(pattern, (match) => {
      if (accept && !accept(match)) return match;
      found[kind] = (found[kind] ?? 0) + 1;
      return `[redacted:${kind}]`;
    });
  }
  return { text: out, found };
}

function hasDigit(s: string): boolean {
  return /\d/.test(s);
}

/** Eight groups, or fewer with one `::`; and a digit, so `add::` or `be:ef` in prose stay. */
function isIpv6(s: string): boolean {
  const compressed = s.split('::').length - 1;
  if (compressed > 1 || !/\d/.test(s)) return false;
  const groups = s.split(':').filter((g) => g !== '').length;
  return compressed === 1 ? groups >= 2 && groups <= 7 : groups === 8;
}
