// Her own password: chosen after signing in with a one-time start password (before the
// second step, which follows it), or through an invitation link (then she signs in).

import { api } from '../api.js';
import { h } from '../dom.js';
import { errorText, t } from '../i18n.js';

/** A new password twice; `submit(password)` does the work, or throws an API error. */
function passwordForm(about, label, submitText, submit, extra = []) {
  const first = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', minlength: 12, required: true });
  const again = h('input', { id: 'new-password-again', type: 'password', autocomplete: 'new-password', required: true });
  const message = h('p', { class: 'error', role: 'alert' });
  const button = h('button', { class: 'primary', type: 'submit' }, submitText);
  const form = h('form', { class: 'card', on: { submit: async (event) => {
    event.preventDefault();
    message.textContent = '';
    if (first.value !== again.value) {
      message.textContent = t('password.differs');
      return;
    }
    button.disabled = true;
    try {
      await submit(first.value);
    } catch (error) {
      message.textContent = errorText(error);
      button.disabled = false;
    }
  } } },
  h('p', {}, about), ...extra,
  h('label', { for: 'new-password' }, label), first,
  h('label', { for: 'new-password-again' }, t('password.again')), again,
  message, button);
  return { form, message, focus: () => (extra.find((el) => el.tagName === 'INPUT') ?? first).focus() };
}

/**
 * After signing in with a start password: she chooses her own. `current` is the start
 * password just typed (asked for when the app found such a session on starting); `then`
 * goes on with the second step.
 */
export function choosePassword(main, me, current, then) {
  const start = current ? null : h('input', { id: 'start-password', type: 'password', autocomplete: 'current-password', required: true });
  const extra = start ? [h('label', { for: 'start-password' }, t('password.start')), start] : [];
  const { form, focus } = passwordForm(t('password.about'), t('password.new'), t('password.save'), async (password) => {
    await api('PUT', '/me/password', { current_password: current ?? start.value, new_password: password });
    await then(me);
  }, extra);
  main.replaceChildren(h('h1', {}, t('password.title')), form);
  focus();
}

/** An invitation link: she chooses the account's password, then signs in with it. */
export async function showInvitation(main, app, token) {
  const { form, message, focus } = passwordForm(t('invite.about'), t('password.new'), t('invite.save'), async (password) => {
    try {
      const { username } = await api('POST', `/invitations/${token}`, { password });
      app.loginHint = { username, message: t('invite.done', { username }) };
      app.navigate('#/login');
    } catch (error) {
      if (error?.status !== 404) throw error;
      message.textContent = t('invite.unknown');
    }
  });
  main.append(h('h1', {}, t('invite.title')), form);
  focus();
}
