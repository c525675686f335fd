import { api, OfflineError } from '../api.js';
import { h } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { passkeysSupported, usePasskey } from '../passkey.js';
import { registerAgain } from '../push.js';
import { hasPin } from '../vault.js';

// Signing in: the password, then the second factor when the server asks for it. A first
// sign-in enrols an authenticator app (QR code, a first code, the recovery codes shown
// once); later ones ask for its code, or a recovery code. A start password is replaced by
// her own first (password.js), before the second factor.

export async function showLogin(main, app) {
  if (app.mustChange) {
    const me = app.mustChange;
    app.mustChange = null;
    await ownPasswordFirst(main, app, me, null);
    return;
  }
  const hint = app.loginHint;
  app.loginHint = null;
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', required: true, value: hint?.username });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { class: 'primary', type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'card', on: { submit: signIn } },
    hint && h('p', { class: 'good', role: 'status' }, hint.message),
    h('label', { for: 'username' }, t('login.username')), username,
    h('label', { for: 'password' }, t('login.password')), password,
    message,
    submit);

  async function signIn(event) {
    event.preventDefault();
    submit.disabled = true;
    message.textContent = '';
    try {
      const me = await api('POST', '/session', { username: username.value, password: password.value });
      if (me.must_change_password) return await ownPasswordFirst(main, app, me, password.value);
      if (me.second_factor === 'passkey') {
        // Not signed out here: that would wipe an outbox waiting for this sign-in.
        message.textContent = t('login.use_passkey');
        submit.disabled = false;
        return;
      }
      await secondStep(main, app, me);
    } catch (error) {
      message.textContent = error instanceof OfflineError ? t('login.offline') : errorText(error);
      submit.disabled = false;
    }
  }

  /** Username, then the phone's fingerprint, face or PIN: both factors at once. */
  async function withPasskey() {
    message.textContent = '';
    if (!username.value) {
      message.textContent = t('login.passkey_username');
      username.focus();
      return;
    }
    try {
      const started = await api('POST', '/session/passkey', { username: username.value });
      const credential = await usePasskey(started.options);
      const me = await api('POST', '/session/passkey/finish', { ceremony_id: started.ceremony_id, credential });
      if (me.must_change_password) return await ownPasswordFirst(main, app, me, null);
      await done(app, me);
    } catch (error) {
      message.textContent = error instanceof OfflineError ? t('login.offline')
        : error?.name === 'NotAllowedError' ? t('login.passkey_cancelled') : errorText(error);
    }
  }

  main.append(h('h1', {}, t('login.title')), form);
  if (passkeysSupported()) {
    main.append(h('button', { type: 'button', id: 'passkey-sign-in', on: { click: withPasskey } }, t('login.passkey')));
  }
  (hint ? password : username).focus();
}

/**
 * Signed in with a start password: her own password first (password.js, loaded only
 * then), then the second step. `current`: the start password, if just typed.
 */
async function ownPasswordFirst(main, app, me, current) {
  const { choosePassword } = await import('./password.js');
  choosePassword(main, me, current, (after) => secondStep(main, app, after));
}

/** What follows the password: the second factor the server asks for, or nothing. */
async function secondStep(main, app, me) {
  if (me.second_factor === 'code') return askCode(main, app);
  if (me.second_factor === 'enrol') return enrol(main, app);
  if (me.second_factor === 'passkey') {
    // Her own password is set; this session cannot take a passkey: a passkey sign-in can.
    app.loginHint = { username: me.username, message: t('password.passkey_next') };
    return app.navigate('#/login');
  }
  // Signed in before choosing: what the server said then is out of date.
  return done(app, me.must_change_password ? undefined : me);
}

/**
 * Signed in: her store opens; the browser's push subscription is registered again for this
 * phone's device (not awaited); a phone without a PIN offers to set one first.
 */
async function done(app, me) {
  await app.signedIn(me ?? await api('GET', '/me'));
  registerAgain().catch(() => {});
  app.navigate((await hasPin()) ? app.home() : '#/pincode');
}

function codeInput() {
  return h('input', { id: 'code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,7}', required: true });
}

/** The code from the enrolled app, or a recovery code instead. */
function askCode(main, app, useRecovery = false) {
  const input = useRecovery
    ? h('input', { id: 'recovery-code', name: 'recovery-code', autocapitalize: 'characters', autocomplete: 'off', required: true })
    : codeInput();
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { class: 'primary', type: 'submit' }, t('login.code_submit'));
  const form = h('form', { class: 'card', on: { submit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.textContent = '';
    try {
      await api('POST', '/session/second-factor', useRecovery ? { recovery_code: input.value } : { code: input.value });
      await done(app);
    } catch (error) {
      message.textContent = errorText(error);
      submit.disabled = false;
    }
  } } },
  h('label', { for: input.id }, t(useRecovery ? 'login.recovery_label' : 'login.code_label')), input,
  message, submit);
  const other = h('button', { type: 'button', class: 'link', id: 'use-recovery', on: { click: () => askCode(main, app, !useRecovery) } },
    t(useRecovery ? 'login.use_app' : 'login.use_recovery'));
  main.replaceChildren(h('h1', {}, t('login.code_title')), form, other);
  input.focus();
}

/** Enrols an authenticator app: scan, type its first code, keep the recovery codes. */
async function enrol(main, app) {
  const started = await api('POST', '/me/totp', {});
  const qr = document.importNode(new DOMParser().parseFromString(started.qr_svg, 'image/svg+xml').documentElement, true);
  qr.setAttribute('role', 'img');
  qr.setAttribute('aria-label', t('login.enrol_qr'));
  qr.setAttribute('class', 'qr');
  const input = codeInput();
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { class: 'primary', type: 'submit' }, t('login.enrol_submit'));
  const form = h('form', { class: 'card', on: { submit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.textContent = '';
    try {
      const confirmed = await api('POST', '/me/totp/confirm', { code: input.value });
      showRecoveryCodes(main, app, confirmed.recovery_codes);
    } catch (error) {
      message.textContent = errorText(error);
      submit.disabled = false;
    }
  } } },
  h('p', {}, t('login.enrol_about')), qr,
  h('p', { class: 'meta' }, t('login.enrol_by_hand')),
  h('code', { id: 'totp-secret' }, started.secret),
  h('label', { for: 'code' }, t('login.code_label')), input,
  message, submit);
  main.replaceChildren(h('h1', {}, t('login.enrol_title')), form);
}

function showRecoveryCodes(main, app, codes) {
  main.replaceChildren(h('h1', {}, t('login.recovery_title')),
    h('section', { class: 'card' },
      h('p', {}, t('login.recovery_about')),
      h('ul', { class: 'list', id: 'recovery-codes' }, ...codes.map((code) => h('li', {}, h('code', {}, code)))),
      h('button', { class: 'primary', id: 'recovery-kept', on: { click: () => done(app) } }, t('login.recovery_kept'))));
}
