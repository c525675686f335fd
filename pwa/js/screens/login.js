import { api, OfflineError } from '../api.js';
import { h } from '../dom.js';
import { errorText, t } from '../i18n.js';

export async function showLogin(main, app) {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { class: 'primary', type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'card', on: { submit: signIn } },
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
      await app.signedIn(me);
      app.navigate(app.home());
    } catch (error) {
      message.textContent = error instanceof OfflineError ? t('login.offline') : errorText(error);
      submit.disabled = false;
    }
  }

  main.append(h('h1', {}, t('login.title')), form);
  username.focus();
}
