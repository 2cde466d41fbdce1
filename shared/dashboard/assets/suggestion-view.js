// @ts-check
import { h, valueView } from './dom.js';

/** @typedef {import('../api-types.ts').Conflict} Conflict */
/** @typedef {import('../api-types.ts').ConflictSuggestion} ConflictSuggestion */
/**
 * Reads the suggestion of one conflict; answers it, or why it could not be had.
 * @typedef {(conflict: Conflict) => Promise<ConflictSuggestion | { error: string }>} OnSuggest
 */
/**
 * Settles one conflict with a choice (and for `value`, the value); answers null, or why it could not.
 * @typedef {(conflict: Conflict, take: import('../api-types.ts').ResolveRequest['take'], value?: unknown) => Promise<string | null>} OnResolve
 */

/** @param {ConflictSuggestion} s */
function choiceView(s) {
  if (s.choice === 'merged') return [h('p', {}, 'A merged value:'), valueView(s.value ?? null)];
  return h('p', {}, s.choice === 'design' ? 'Take the design’s value.' : 'Take the definitions’ value.');
}

/**
 * The "Suggest" button of an open conflict's card and the panel it fills: the suggested resolution,
 * its rationale and where it came from, with "Apply suggestion", which settles the conflict with it
 * through the ordinary resolve route (`onResolve`). Nothing is applied until that button is pressed.
 * Every text (a model's rationale, a side's value) goes in as text, never as markup.
 * @param {Conflict} conflict
 * @param {{ onSuggest: OnSuggest, onResolve: OnResolve, describedBy: string, onBusy: (busy: boolean) => void }} input
 */
export function suggestionControls(conflict, { onSuggest, onResolve, describedBy, onBusy }) {
  const panel = h('section', {
    class: 'suggestion',
    'aria-live': 'polite',
    'aria-label': 'Suggested resolution',
    hidden: true,
  });
  const button = h(
    'button',
    { type: 'button', 'data-action': 'suggest', 'aria-describedby': describedBy },
    'Suggest',
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    panel.hidden = false;
    panel.replaceChildren(h('p', { class: 'muted' }, 'Asking for a suggestion…'));
    const answer = await onSuggest(conflict);
    button.disabled = false;
    if ('error' in answer) {
      panel.replaceChildren(
        h('p', { class: 'inline-error', role: 'alert' }, `Could not suggest: ${answer.error}`),
      );
      return;
    }
    panel.replaceChildren(...suggestionBody(conflict, answer, { onResolve, onBusy }));
  });
  return { button, panel };
}

/**
 * @param {Conflict} conflict
 * @param {ConflictSuggestion} s
 * @param {{ onResolve: OnResolve, onBusy: (busy: boolean) => void }} input
 */
function suggestionBody(conflict, s, { onResolve, onBusy }) {
  const problem = h('p', { class: 'inline-error', role: 'alert', hidden: true });
  const apply = h(
    'button',
    { type: 'button', class: 'primary', 'data-action': 'apply-suggestion' },
    'Apply suggestion',
  );
  apply.addEventListener('click', async () => {
    apply.disabled = true;
    onBusy(true);
    problem.hidden = true;
    const error = await onResolve(conflict, s.apply.take, s.apply.value);
    if (error) {
      problem.textContent = `Could not apply: ${error}`;
      problem.hidden = false;
      apply.disabled = false;
      onBusy(false);
      apply.focus();
    }
  });
  const source =
    s.source === 'model'
      ? 'Proposed by a model and checked like any resolution.'
      : `From the link’s policy rules${s.reason ? ` (model not used: ${s.reason})` : ''}.`;
  return [
    h('h6', {}, 'Suggestion'),
    h('div', { class: 'suggestion-choice' }, choiceView(s)),
    h('p', { class: 'suggestion-rationale' }, s.rationale),
    h('p', { class: 'muted suggestion-source', 'data-source': s.source }, source),
    h('div', { class: 'actions' }, apply),
    problem,
  ];
}
