// Instellingen: notifications for this device, language, quiet hours, sign out.

import { api } from '../api.js';
import { formatDateTime, h } from '../dom.js';
import { errorText, language, setLanguage, t } from '../i18n.js';
import { disablePush, enablePush, needsHomeScreen, pushEnabled, pushSupported } from '../push.js';
import { createPasskey, passkeysSupported } from '../passkey.js';
import { flush, waiting } from '../queue.js';
import { hasPin, wipe } from '../vault.js';

export async function showSettings(main, app) {
  const message = h('p', { role: 'status' });
  main.append(h('h1', {}, t('settings.title')),
    h('p', { class: 'meta' }, t('settings.signed_in_as', { name: app.me.display_name })));

  const push = h('section', { class: 'card' }, h('h2', {}, t('settings.notifications')));
  if (!pushSupported()) {
    push.append(h('p', {}, needsHomeScreen() ? t('settings.notifications_ios') : t('settings.notifications_unsupported')));
  } else {
    const on = await pushEnabled();
    if (on) push.append(h('p', { class: 'good' }, t('settings.notifications_active')));
    if (needsHomeScreen()) push.append(h('p', {}, t('settings.notifications_ios')));
    push.append(h('button', { class: on ? '' : 'primary', on: { click: async () => {
      try {
        if (on) await disablePush();
        else await enablePush();
        app.redraw();
      } catch (error) {
        message.textContent = error.message === 'denied' ? t('settings.notifications_denied') : errorText(error);
      }
    } } }, t(on ? 'settings.notifications_off' : 'settings.notifications_on')));
  }

  const select = h('select', { id: 'language', on: { change: async () => { await setLanguage(select.value); app.redraw(); } } },
    h('option', { value: 'nl', selected: language() === 'nl' }, 'Nederlands'),
    h('option', { value: 'en', selected: language() === 'en' }, 'English'));

  const from = h('input', { id: 'quiet-from', type: 'time', value: app.me.quiet_hours?.start ?? '23:00', required: true });
  const until = h('input', { id: 'quiet-until', type: 'time', value: app.me.quiet_hours?.end ?? '08:00', required: true });
  const quiet = h('form', { class: 'card', on: { submit: async (event) => {
    event.preventDefault();
    try {
      await app.signedIn(await api('PUT', '/me/quiet-hours', { start: from.value, end: until.value }));
      message.textContent = t('settings.quiet_saved');
    } catch (error) {
      message.textContent = errorText(error);
    }
  } } },
  h('h2', {}, t('settings.quiet')),
  h('label', { for: 'quiet-from' }, t('settings.quiet_from')), from,
  h('label', { for: 'quiet-until' }, t('settings.quiet_until')), until,
  h('button', { type: 'submit' }, t('settings.save')));

  main.append(push,
    h('section', { class: 'card' }, h('label', { for: 'language' }, t('settings.language')), select),
    quiet);
  if (app.me.role !== 'municipality' && app.me.role !== 'admin') main.append(await calendarFeed(app, message));
  main.append(await pinCard(app));
  main.append(await devices(app, message));
  if (passkeysSupported()) main.append(await passkeys(app, message));
  main.append(
    message,
    h('button', { class: 'danger', id: 'logout', on: { click: () => signOut(app) } }, t('settings.logout')));
}

/** Her passkeys: add one on this phone, rename, remove (with the password). */
async function passkeys(app, message) {
  const card = h('section', { class: 'card', id: 'passkeys' }, h('h2', {}, t('settings.passkeys')),
    h('p', { class: 'meta' }, t('settings.passkeys_about')));
  const keys = await api('GET', '/me/passkeys').catch(() => null);
  if (!keys) return card;
  const act = (work) => async () => {
    try {
      await work();
      app.redraw();
    } catch (error) {
      message.textContent = error?.name === 'NotAllowedError' ? t('login.passkey_cancelled') : errorText(error);
    }
  };
  const password = h('input', { id: 'passkey-password', type: 'password', autocomplete: 'current-password' });
  const list = h('ul', { class: 'list' });
  for (const key of keys) {
    const used = key.last_used_at ? t('settings.passkey_used', { when: formatDateTime(key.last_used_at, language()) }) : t('settings.passkey_unused');
    list.append(h('li', {}, h('strong', {}, key.name), ' ', h('span', { class: 'meta' }, used), ' ',
      h('button', { on: { click: act(async () => {
        const name = prompt(t('settings.passkey_rename'), key.name);
        if (name) await api('PATCH', `/me/passkeys/${key.id}`, { name });
      }) } }, t('settings.passkey_rename_button')), ' ',
      h('button', { class: 'danger', on: { click: act(async () => {
        if (!password.value) {
          password.focus();
          throw new Error(t('settings.passkey_password_needed'));
        }
        await api('DELETE', `/me/passkeys/${key.id}`, { password: password.value });
      }) } }, t('settings.passkey_remove'))));
  }
  const name = h('input', { id: 'passkey-name', value: t('settings.passkey_default_name'), maxlength: 60 });
  card.append(list,
    h('label', { for: 'passkey-name' }, t('settings.passkey_name')), name,
    h('button', { id: 'passkey-add', class: keys.length ? '' : 'primary', on: { click: act(async () => {
      const started = await api('POST', '/me/passkeys/register', {});
      const credential = await createPasskey(started.options);
      await api('POST', '/me/passkeys/register/finish', { ceremony_id: started.ceremony_id, name: name.value, credential });
    }) } }, t('settings.passkey_add')));
  if (keys.length) card.append(h('label', { for: 'passkey-password' }, t('settings.passkey_password')), password);
  return card;
}

/** The PIN that unlocks this phone after the lock (and offline). */
async function pinCard(app) {
  const set = await hasPin();
  return h('section', { class: 'card', id: 'pin' }, h('h2', {}, t('settings.pin')),
    h('p', { class: 'meta' }, t(set ? 'settings.pin_set' : 'settings.pin_none', { minutes: app.lockMinutes() })),
    h('a', { class: 'button', href: '#/pincode', id: 'pin-change' }, t(set ? 'settings.pin_change' : 'settings.pin_make')));
}

/** The devices she is signed in on; any other one can be signed out (a lost phone). */
async function devices(app, message) {
  const card = h('section', { class: 'card', id: 'devices' }, h('h2', {}, t('settings.devices')),
    h('p', { class: 'meta' }, t('settings.devices_about')));
  const sessions = await api('GET', '/me/sessions').catch(() => null);
  if (!sessions) return card;
  const list = h('ul', { class: 'list' });
  for (const session of sessions) {
    const since = formatDateTime(session.last_seen_at, language());
    const item = h('li', {}, h('strong', {}, session.device), ' ',
      h('span', { class: 'meta' }, session.current ? t('settings.devices_this') : t('settings.devices_seen', { when: since })));
    if (!session.current) {
      item.append(' ', h('button', { class: 'danger', on: { click: async () => {
        try {
          await api('DELETE', `/me/sessions/${session.id}`);
          app.redraw();
        } catch (error) {
          message.textContent = errorText(error);
        }
      } } }, t('settings.devices_end')));
    }
    list.append(item);
  }
  card.append(list);
  return card;
}

/** The secret calendar link: made here, shown once, renewable and revocable. */
async function calendarFeed(app, message) {
  const card = h('section', { class: 'card', id: 'calendar' }, h('h2', {}, t('settings.calendar')),
    h('p', { class: 'meta' }, t('settings.calendar_about')));
  const status = await api('GET', '/me/calendar').catch(() => null);
  if (!status) return card;
  const act = (work) => async () => {
    try {
      const made = await work();
      if (made?.url) {
        card.append(h('p', {}, t('settings.calendar_once')),
          h('input', { id: 'calendar-url', readonly: true, value: made.url, 'aria-label': t('settings.calendar') }),
          h('a', { href: made.webcal_url, class: 'button' }, t('settings.calendar_open')));
      } else {
        app.redraw();
      }
    } catch (error) {
      message.textContent = errorText(error);
    }
  };
  if (status.active) card.append(h('p', { class: 'good' }, t('settings.calendar_active')));
  card.append(h('button', { id: 'calendar-make', on: { click: act(() => api('POST', '/me/calendar', {})) } },
    t(status.active ? 'settings.calendar_renew' : 'settings.calendar_make')));
  if (status.active) {
    card.append(h('button', { on: { click: act(() => api('DELETE', '/me/calendar')) } }, t('settings.calendar_stop')));
  }
  return card;
}

/**
 * Signs out and wipes what the device keeps. Queued work is sent first: the server's
 * answer to signing out (Clear-Site-Data) wipes this origin's storage, outbox included,
 * so what cannot be sent now is named, and signing out waits for a yes.
 */
async function signOut(app) {
  await flush().catch(() => {});
  const unsent = await waiting();
  if (unsent > 0 && !confirm(t('settings.logout_unsynced', { n: unsent }))) return;
  await disablePush().catch(() => {});
  await api('DELETE', '/session').catch(() => {});
  // Offline, or a browser without Clear-Site-Data: wiped here as well. (Online, the server
  // has also erased this device's key, so even a copy made before is unreadable.)
  await wipe(app.me.id);
  localStorage.removeItem('inbeeld.place');
  app.me = null;
  app.navigate('#/login');
}
