// Forms of the client file and the coordinator's lists. A change of a client's file is one
// request whose answer matters, so nothing waits in the outbox: offline, a form says so
// and keeps what was typed. Refusals show in Dutch beside the button; a change with
// consequences asks once more, on the screen itself (not a browser dialog, whose buttons
// speak the phone's language).

import { OfflineError } from './api.js';
import { h } from './dom.js';
import { errorText, t } from './i18n.js';

/** A label and its input, with an optional hint read out with the input. */
export function field(id, label, input, hint) {
  if (!hint) return [h('label', { for: id }, label), input];
  input.setAttribute('aria-describedby', `${id}-hint`);
  return [h('label', { for: id }, label), h('p', { class: 'meta hint', id: `${id}-hint` }, hint), input];
}

/** Radio buttons as big rows to tap: the fieldset, and what is chosen. */
export function choice(name, legend, options, selected) {
  const inputs = options.map(([value]) => h('input', { type: 'radio', name, value, checked: value === selected }));
  const fieldset = h('fieldset', { class: 'choice', id: name }, h('legend', {}, legend),
    inputs.map((input, i) => h('label', { class: 'inline' }, input, ` ${options[i][1]}`)));
  return { fieldset, value: () => inputs.find((input) => input.checked)?.value, inputs };
}

/** A yes/no choice with `true`/`false` as its value. */
export function yesNo(name, legend, selected) {
  const picked = choice(name, legend, [['yes', t('common.yes')], ['no', t('common.no')]], selected ? 'yes' : 'no');
  return { fieldset: picked.fieldset, value: () => picked.value() === 'yes' };
}

/** A select of [value, label] options. */
export function select(id, options, selected, attrs = {}) {
  return h('select', { id, ...attrs },
    options.map(([value, label]) => h('option', { value, selected: value === selected }, label)));
}

/**
 * A form that changes something on the server: `run()` sends it (and redraws or moves on).
 * With `confirm`, the first press asks `confirm()` on the form, with `yes` to go ahead.
 * A `compact` form is a button (and its question) within a list rather than a card.
 * A `queued` form's `run()` goes through the outbox, so it may be used offline.
 */
export function changeForm({ id, title, fields = [], submit, run, confirm, yes, danger = false, hidden = false, compact = false, queued = false }) {
  const message = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, submit);
  const question = h('div', { class: 'confirm', hidden: true });
  let asking = false;
  const form = h('form', { class: compact ? 'compact' : 'card', id, hidden, on: { submit: async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (!navigator.onLine && !queued) {
      message.textContent = t('common.needs_network');
      return;
    }
    if (confirm && !asking) {
      if (!form.reportValidity()) return;
      ask(true);
      return;
    }
    try {
      await run();
    } catch (error) {
      message.textContent = error instanceof OfflineError ? t('common.needs_network') : errorText(error);
    }
  } } });
  function ask(on) {
    asking = on;
    button.hidden = on;
    question.hidden = !on;
    if (on) {
      question.replaceChildren(h('p', { class: 'question' }, confirm()),
        h('div', { class: 'row' },
          h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, yes),
          h('button', { type: 'button', on: { click: () => ask(false) } }, t('common.cancel'))));
      question.querySelector('button').focus();
    }
  }
  form.append(...[title ? h('h2', {}, title) : null, ...fields,
    navigator.onLine || queued ? null : h('p', { class: 'meta' }, t('common.changes_need_network')),
    message, question, button].filter(Boolean));
  return form;
}

/** A button that shows (and hides again) the form it belongs to. */
export function opener(label, form, attrs = {}) {
  const button = h('button', { type: 'button', 'aria-expanded': 'false', ...attrs, on: { click: () => {
    form.hidden = !form.hidden;
    button.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) form.querySelector('input, select, textarea, button')?.focus();
  } } }, label);
  return button;
}
