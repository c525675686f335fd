// The lock: unlocking with her passkey or the device PIN (or signing in again), and
// choosing the PIN.

import { api, OfflineError } from '../api.js';
import { h } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { passkeysSupported, usePasskey } from '../passkey.js';
import { hasPin, openWithDeviceKey, openWithPin, PinError, setPin } from '../vault.js';

function pinInput(id, autocomplete) {
  return h('input', { id, name: id, type: 'password', inputmode: 'numeric', autocomplete, pattern: '[0-9]{6,12}', maxlength: 12, required: true });
}

/**
 * One tap and her fingerprint, face or screen lock: the phone's passkey unlocks (online).
 * Without a passkey the button goes and the PIN is next.
 */
function passkeyUnlock(app, pin) {
  const message = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { type: 'button', id: 'unlock-passkey', class: 'primary', on: { click: async () => {
    button.disabled = true;
    message.textContent = t('lock.checking');
    try {
      const started = await api('POST', '/session/unlock/passkey');
      const credential = await usePasskey(started.options);
      const claimed = await api('POST', '/session/unlock/passkey/finish', { ceremony_id: started.ceremony_id, credential });
      await openWithDeviceKey(claimed);
      await app.unlocked();
    } catch (error) {
      button.disabled = false;
      if (error?.code === 'no_passkey') {
        button.remove();
        message.textContent = t(pin ? 'lock.no_passkey' : 'lock.no_passkey_no_pin');
        pin?.focus();
      } else if (error instanceof OfflineError) {
        message.textContent = t(pin ? 'lock.passkey_offline' : 'lock.passkey_offline_no_pin');
      } else if (error instanceof PinError) {
        message.textContent = t('lock.passkey_sign_in');
      } else {
        message.textContent = error?.name === 'NotAllowedError' ? t('lock.passkey_cancelled') : errorText(error);
      }
    }
  } } }, t('lock.passkey'));
  return h('section', { class: 'card' }, button, message);
}

/** Locked: her passkey, her PIN, or a new sign-in. */
export async function showUnlock(main, app) {
  const who = app.lockedAs;
  main.append(h('h1', {}, t('lock.title')));
  const signIn = h('button', { type: 'button', id: 'unlock-sign-in', class: 'link', on: { click: () => app.signInAgain() } }, t('lock.sign_in'));
  const withPin = await hasPin();
  const pin = withPin ? pinInput('unlock-pin', 'current-password') : null;
  // A passkey needs the server; offline the PIN is the way in, so only the PIN is offered.
  const passkey = passkeysSupported() && navigator.onLine ? passkeyUnlock(app, pin) : null;
  if (passkey) main.append(passkey);
  if (!withPin) {
    main.append(h('section', { class: 'card' }, h('p', {}, t(passkey ? 'lock.no_pin_passkey' : 'lock.no_pin')), signIn));
    return;
  }
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
  // With a passkey on offer the keyboard stays closed: one tap on the button is quicker.
  if (!passkey) pin.focus();
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
