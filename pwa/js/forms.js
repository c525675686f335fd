// The office screens' small forms (Beheer, partners): inputs with ids of their own, a label
// for each, and a form that sends, says it saved and redraws, or says what went wrong.

import { h } from './dom.js';
import { errorText, t } from './i18n.js';

let unique = 0;

/** A control with an id of its own, for the forms repeated down a list. */
export function control(tag, attrs = {}, ...children) {
  unique += 1;
  return h(tag, { id: `field-${unique}`, ...attrs }, ...children);
}

/** A select of [value, text] options. */
export function select(options, selected, attrs = {}) {
  return control('select', attrs, options.map(([value, text]) =>
    h('option', { value, selected: String(value) === String(selected) }, text)));
}

/** A label above its control. */
export function field(label, input) {
  return [h('label', { for: input.id }, label), input];
}

/** What a list entry that opens to edit shows when closed: `title`, and the cue. */
export function summary(...title) {
  return h('summary', {}, h('span', {}, ...title), h('span', { class: 'edit', 'aria-hidden': 'true' }, t('admin.edit')));
}

/** A checkbox with its label on one line: [the line, the box]. */
export function checkbox(label, checked) {
  const box = control('input', { type: 'checkbox', checked });
  return [h('label', { class: 'inline', for: box.id }, box, label), box];
}

/**
 * A form that runs `work()` when sent, then says it saved and redraws the screen, or
 * shows the error in Dutch; `work` answers `false` when it did nothing (not confirmed).
 * `buttons`: the first submits.
 */
export function editForm(app, children, buttons, work) {
  const message = h('p', { class: 'error', role: 'alert' });
  return h('form', { on: { submit: async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      if ((await work()) === false) return;
      app.toast(t('admin.saved'));
      app.redraw();
    } catch (error) {
      message.textContent = errorText(error);
    }
  } } }, children, message, h('div', { class: 'row' }, buttons));
}
