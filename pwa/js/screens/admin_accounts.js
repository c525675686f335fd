// One account under Beheer: a new one (with a start password or an invitation link,
// shown once), or an existing one: her details, disabling her, a new start password for
// a lost one, a fresh second step for a lost phone.

import { api } from '../api.js';
import { backLink, h } from '../dom.js';
import { editForm, field, select } from '../forms.js';
import { errorText, t } from '../i18n.js';

const ROLES = ['casemanager', 'peer', 'coordinator', 'process_director', 'municipality', 'admin'];
/** The roles that belong to a team (the server refuses them without one). */
const IN_A_TEAM = ['casemanager', 'peer', 'coordinator'];

/** `which`: `nieuw`, or the account's id. */
export async function showAccount(main, app, which) {
  const [teams, organisations] = await Promise.all([api('GET', '/teams'), api('GET', '/organisations')]);
  const back = backLink('#/beheer', t('accounts.back'));
  const choices = (user) => {
    const role = select(ROLES.map((one) => [one, t(`role.${one}`)]), user?.role ?? 'casemanager', { id: 'account-role' });
    const team = select([['', t('admin.none')], ...teams.map((one) => [one.id, one.name])],
      user ? user.team_id ?? '' : teams[0]?.id ?? '', { id: 'account-team' });
    role.addEventListener('change', () => {
      if (!IN_A_TEAM.includes(role.value)) team.value = '';
      else if (!team.value && teams.length) team.value = teams[0].id;
    });
    const organisation = select([['', t('admin.none')], ...organisations.map((one) => [one.id, one.name])],
      user?.organisation_id ?? '', { id: 'account-organisation' });
    return { role, team, organisation };
  };
  if (which === 'nieuw') {
    main.append(back, h('h1', {}, t('accounts.new')), newAccount(main, app, choices()));
    return;
  }
  const user = (await api('GET', '/users')).find((one) => one.id === Number(which));
  if (!user) {
    app.navigate('#/beheer');
    return;
  }
  const team = teams.find((one) => one.id === user.team_id)?.name;
  main.append(back, h('h1', {}, user.display_name),
    h('p', { class: 'meta' }, [user.username, t(`role.${user.role}`), team].filter(Boolean).join(' · ')),
    details(app, user, choices(user)), access(main, app, user));
}

const idOrNull = (value) => (value === '' ? null : Number(value));

function newAccount(main, app, { role, team, organisation }) {
  const username = h('input', { id: 'account-username', maxlength: 32, autocapitalize: 'none', autocomplete: 'off', required: true });
  const name = h('input', { id: 'account-name', maxlength: 80, required: true });
  const start = (value, key, checked) => h('label', { class: 'inline' },
    h('input', { type: 'radio', name: 'start', value, checked }), t(key));
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card', id: 'account-form', on: { submit: async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      const created = await api('POST', '/users', {
        username: username.value,
        display_name: name.value,
        role: role.value,
        team_id: idOrNull(team.value),
        organisation_id: idOrNull(organisation.value),
        start: form.elements.start.value,
      });
      showOnce(main, created.user.display_name, true, created.start_password
        ? { key: 'accounts.start_password_is', value: created.start_password, id: 'start-password', about: 'accounts.start_about' }
        : { key: 'accounts.invitation_is', value: created.invitation_url, id: 'invitation-url', about: 'accounts.invitation_about' });
    } catch (error) {
      message.textContent = errorText(error);
    }
  } } },
  field(t('accounts.username'), username), field(t('accounts.display_name'), name),
  field(t('accounts.role'), role), field(t('accounts.team'), team), field(t('accounts.organisation'), organisation),
  h('fieldset', {}, h('legend', {}, t('accounts.start')),
    start('password', 'accounts.start_password', true), start('invitation', 'accounts.start_invitation', false)),
  message, h('button', { class: 'primary', type: 'submit' }, t('accounts.create')));
  return form;
}

/** A start password or invitation link, shown this once with a copy button. */
function showOnce(main, name, created, { key, value, id, about }) {
  const secret = h('code', { class: 'secret', id }, value);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      copied.textContent = t('admin.copied');
    } catch {
      getSelection().selectAllChildren(secret);
      copied.textContent = t('admin.copy_by_hand');
    }
  };
  const copied = h('p', { class: 'meta', role: 'status' });
  main.replaceChildren(h('h1', {}, t(key, { name })),
    h('section', { class: 'card' }, created && h('p', { class: 'good' }, t('accounts.created', { name })), secret,
      h('button', { type: 'button', id: 'copy', on: { click: copy } }, t('admin.copy')), copied,
      h('p', { class: 'warning' }, t('accounts.once')),
      h('p', { class: 'meta' }, t(about)),
      h('a', { class: 'button primary', href: '#/beheer', id: 'shown-done' }, t('admin.done'))));
  scrollTo(0, 0);
  main.focus({ preventScroll: true });
}

/** Her name, role, team and organisation. */
function details(app, user, { role, team, organisation }) {
  const name = h('input', { id: 'account-name', maxlength: 80, required: true, value: user.display_name });
  return h('section', { class: 'card' }, h('h2', {}, t('accounts.details')),
    editForm(app, [...field(t('admin.name'), name), ...field(t('accounts.role'), role),
      ...field(t('accounts.team'), team), ...field(t('accounts.organisation'), organisation)],
    [h('button', { class: 'primary', type: 'submit' }, t('admin.save'))], () => {
      const changes = {};
      if (name.value !== user.display_name) changes.display_name = name.value;
      if (role.value !== user.role) changes.role = role.value;
      if (idOrNull(team.value) !== user.team_id) changes.team_id = idOrNull(team.value);
      if (idOrNull(organisation.value) !== user.organisation_id) changes.organisation_id = idOrNull(organisation.value);
      return api('PATCH', `/users/${user.id}`, changes);
    }));
}

/** Whether she can sign in, and her ways in handed out again. Not for the admin herself. */
function access(main, app, user) {
  const card = h('section', { class: 'card', id: 'access' }, h('h2', {}, t('accounts.access')),
    h('p', { class: user.active ? 'good' : 'error' }, t(user.active ? 'accounts.status_active' : 'accounts.status_disabled')));
  if (user.id === app.me.id) {
    card.append(h('p', { class: 'meta' }, t('accounts.own')));
    return card;
  }
  const message = h('p', { class: 'error', role: 'alert' });
  const act = (question, work) => async () => {
    message.textContent = '';
    if (question && !confirm(t(question, { name: user.display_name }))) return;
    try {
      await work();
    } catch (error) {
      message.textContent = errorText(error);
    }
  };
  card.append(
    h('button', { id: 'account-active', class: user.active ? 'danger' : 'primary', on: { click: act(user.active && 'accounts.disable_confirm', async () => {
      await api('PATCH', `/users/${user.id}`, { active: !user.active });
      app.redraw();
    }) } }, t(user.active ? 'accounts.disable' : 'accounts.enable')),
    h('h3', {}, t('accounts.new_start_password')),
    h('p', { class: 'meta' }, t('accounts.new_start_password_about')),
    h('button', { id: 'account-start-password', on: { click: act('accounts.new_start_password_confirm', async () => {
      const { start_password: value } = await api('POST', `/users/${user.id}/start-password`, {});
      showOnce(main, user.display_name, false, { key: 'accounts.start_password_is', value, id: 'start-password', about: 'accounts.start_about' });
    }) } }, t('accounts.new_start_password')),
    h('h3', {}, t('accounts.reset_second_factor')),
    h('p', { class: 'meta' }, t('accounts.reset_second_factor_about')),
    h('button', { id: 'account-reset-second-factor', class: 'danger', on: { click: act('accounts.reset_second_factor_confirm', async () => {
      await api('POST', `/users/${user.id}/second-factor/reset`, {});
      app.toast(t('accounts.second_factor_reset'));
    }) } }, t('accounts.reset_second_factor')),
    message);
  return card;
}
