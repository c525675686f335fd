// The office screens' small forms (Beheer, partners): inputs with ids of their own, a label
// for each, and a form that sends, says it saved and redraws, or says what went wrong. And
// for every form of the app: the browser's validation bubbles in the app's language.

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

/** The app's sentence for what is wrong with a control the browser refuses. */
function validationText(input) {
  const v = input.validity;
  if (v.valueMissing) return t(input.type === 'checkbox' ? 'validation.check' : input.tagName === 'SELECT' ? 'validation.pick' : 'validation.required');
  if (v.badInput || v.typeMismatch) return t('validation.bad_input');
  if (v.rangeUnderflow) return t('validation.min', { min: input.min });
  if (v.rangeOverflow) return t('validation.max', { max: input.max });
  if (v.stepMismatch) return t('validation.step');
  if (v.tooShort) return t('validation.too_short', { n: input.minLength });
  if (v.tooLong) return t('validation.too_long', { n: input.maxLength });
  if (v.patternMismatch) return input.title || t('validation.pattern');
  return '';
}

/**
 * The browser words its validation bubbles ("Please fill out this field.") in its own
 * language: every refused control of the app gets the app's sentence instead, cleared as
 * soon as she changes it (so the browser checks it afresh). Once, at start.
 */
export function validationInAppLanguage(root = document) {
  root.addEventListener('invalid', (event) => {
    const input = event.target;
    input.setCustomValidity('');
    if (!input.checkValidity()) input.setCustomValidity(validationText(input));
  }, true);
  const clear = (event) => event.target.setCustomValidity?.('');
  root.addEventListener('input', clear, true);
  root.addEventListener('change', clear, true);
}
