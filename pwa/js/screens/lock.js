// The lock: unlocking with the device PIN (or signing in again), and choosing the PIN.

import { h } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { hasPin, openWithPin, PinError, setPin } from '../vault.js';

function pinInput(id, autocomplete) {
  return h('input', { id, name: id, type: 'password', inputmode: 'numeric', autocomplete, pattern: '[0-9]{6,12}', maxlength: 12, required: true });
}

/** Locked: her PIN, or a new sign-in. */
export async function showUnlock(main, app) {
  const who = app.lockedAs;
  main.append(h('h1', {}, t('lock.title')));
  const signIn = h('button', { type: 'button', id: 'unlock-sign-in', class: 'link', on: { click: () => app.signInAgain() } }, t('lock.sign_in'));
  if (!(await hasPin())) {
    main.append(h('section', { class: 'card' }, h('p', {}, t('lock.no_pin')), signIn));
    return;
  }
  const pin = pinInput('unlock-pin', 'current-password');
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { class: 'primary', type: 'submit' }, t('lock.unlock'));
  const form = h('form', { class: 'card', on: { submit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.textContent = t('lock.checking');
    try {
      await openWithPin(pin.value);
      await app.unlocked();
    } catch (error) {
      pin.value = '';
      submit.disabled = false;
      if (!(error instanceof PinError)) {
        message.textContent = errorText(error);
      } else if (error.message === 'wrong') {
        message.textContent = t('lock.wrong');
      } else {
        message.textContent = t('lock.sign_in_needed');
        submit.remove();
      }
    }
  } } },
  h('p', {}, t('lock.about', { name: who?.username ?? '' })),
  h('label', { for: 'unlock-pin' }, t('lock.pin')), pin,
  message, submit, signIn);
  main.append(form);
  pin.focus();
}

/** A PIN is at least six digits, not one digit repeated and not a run like 123456. */
function weakPin(pin) {
  if (!/^[0-9]{6,12}$/.test(pin)) return 'lock.pin_rules';
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i] + 10) % 10));
  if (steps.size === 1 && [0, 1, 9].includes([...steps][0])) return 'lock.pin_simple';
  return null;
}

/** Choosing (or changing) the PIN for this phone; after a sign-in it can wait. */
export async function showPinSetup(main, app) {
  const first = pinInput('pin-new', 'new-password');
  const again = pinInput('pin-again', 'new-password');
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { class: 'primary', type: 'submit' }, t('lock.pin_save'));
  const form = h('form', { class: 'card', on: { submit: async (event) => {
    event.preventDefault();
    const weak = weakPin(first.value);
    if (weak || first.value !== again.value) {
      message.textContent = t(weak ?? 'lock.pin_differs');
      return;
    }
    submit.disabled = true;
    message.textContent = t('lock.checking');
    try {
      await setPin(first.value);
      app.toast(t('lock.pin_saved'));
      app.navigate(app.home());
    } catch (error) {
      message.textContent = errorText(error);
      submit.disabled = false;
    }
  } } },
  h('p', {}, t('lock.pin_about', { minutes: app.lockMinutes() })),
  h('label', { for: 'pin-new' }, t('lock.pin_new')), first,
  h('label', { for: 'pin-again' }, t('lock.pin_again')), again,
  message, submit,
  h('button', { type: 'button', id: 'pin-later', class: 'link', on: { click: () => app.navigate(app.home()) } }, t('lock.pin_later')));
  main.append(h('h1', {}, t('lock.pin_title')), form);
  first.focus();
}
