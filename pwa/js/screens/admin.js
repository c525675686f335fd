// Beheer: the admin's office. Accounts (the list here; one account, and a new one, in
// admin_accounts.js), teams, locations and the partner organisations (partners.js, which
// the coordinator reaches from her Team screen). Loaded when first opened.

import { api } from '../api.js';
import { backLink, h } from '../dom.js';
import { checkbox, control, editForm, field, select, summary } from '../forms.js';
import { t } from '../i18n.js';
import { partnersSection } from './partners.js';

const SECTIONS = [
  ['#/beheer', 'admin.accounts'],
  ['#/beheer/teams', 'admin.teams'],
  ['#/beheer/locaties', 'admin.locations'],
  ['#/beheer/partners', 'admin.partners'],
];

const KINDS = ['zone', 'living_room', 'outreach', 'phone', 'other'];

/** One part of Beheer: `section` is undefined (accounts), teams, locaties or partners. */
export async function showAdmin(main, app, section) {
  if (app.me.role === 'coordinator') {
    main.append(backLink('#/team', t('team.title')),
      h('h1', {}, t('partners.title')), await partnersSection(app));
    return;
  }
  const here = section ? `#/beheer/${section}` : '#/beheer';
  main.append(h('h1', {}, t('admin.title')),
    h('nav', { class: 'tabs', 'aria-label': t('admin.sections') }, SECTIONS.map(([hash, key]) =>
      h('a', { href: hash, 'aria-current': hash === here ? 'page' : undefined }, t(key)))));
  const draw = { teams, locaties: locations, partners: partnersSection }[section] ?? accounts;
  main.append(await draw(app));
}

/** Every account, with her role, team and whether she can sign in. */
async function accounts() {
  const [users, teamList] = await Promise.all([api('GET', '/users'), api('GET', '/teams')]);
  const teamName = new Map(teamList.map((team) => [team.id, team.name]));
  const list = h('ul', { class: 'list', id: 'accounts' }, users.map((user) => h('li', {},
    h('a', { class: 'entry', href: `#/beheer/account/${user.id}` },
      h('strong', {}, user.display_name), ' ', h('span', { class: 'meta' }, user.username),
      h('span', { class: 'meta block' }, [t(`role.${user.role}`), teamName.get(user.team_id)].filter(Boolean).join(' · ')),
      !user.active && h('span', { class: 'tag' }, t('accounts.disabled'))))));
  return h('section', { class: 'card' },
    h('a', { class: 'button primary', href: '#/beheer/account/nieuw', id: 'account-new' }, t('accounts.new')),
    users.length ? list : h('p', { class: 'meta' }, t('accounts.none')));
}

async function teams(app) {
  const list = await api('GET', '/teams');
  const name = control('input', { maxlength: 80, required: true });
  return h('section', { class: 'card', id: 'teams' },
    list.length === 0 ? h('p', { class: 'meta' }, t('teams.none')) : h('ul', { class: 'list' }, list.map((team) => {
      const rename = control('input', { value: team.name, maxlength: 80, required: true });
      return h('li', {}, h('details', {}, summary(h('strong', {}, team.name)),
        editForm(app, field(t('teams.rename'), rename), [h('button', { type: 'submit' }, t('admin.save'))],
          () => api('PATCH', `/teams/${team.id}`, { name: rename.value }))));
    })),
    h('h2', {}, t('teams.new')),
    editForm(app, field(t('admin.name'), name), [h('button', { class: 'primary', type: 'submit' }, t('teams.new'))],
      () => api('POST', '/teams', { name: name.value })));
}

const kindSelect = (selected) => select(KINDS.map((kind) => [kind, t(`kind.${kind}`)]), selected);

async function locations(app) {
  const list = await api('GET', '/locations');
  const name = control('input', { maxlength: 80, required: true });
  const code = control('input', { maxlength: 24, required: true, pattern: '[a-z0-9_]{2,24}', autocapitalize: 'none' });
  // The code follows the name until she types one herself.
  name.addEventListener('input', () => {
    if (!code.dataset.typed) code.value = name.value.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 24);
  });
  code.addEventListener('input', () => { code.dataset.typed = 'yes'; });
  const kind = kindSelect('outreach');
  return h('section', { class: 'card', id: 'locations' },
    h('ul', { class: 'list' }, list.map((place) => {
      const rename = control('input', { value: place.name, maxlength: 80, required: true });
      const kinds = kindSelect(place.kind);
      const [inUse, active] = checkbox(t('admin.active'), place.active);
      return h('li', {}, h('details', {},
        summary(h('strong', {}, place.name), ` · ${t(`kind.${place.kind}`)}`,
          !place.active && h('span', { class: 'tag' }, t('admin.inactive'))),
        editForm(app, [...field(t('admin.name'), rename), ...field(t('locations.kind'), kinds), inUse],
          [h('button', { type: 'submit' }, t('admin.save'))],
          () => api('PATCH', `/locations/${place.id}`, { name: rename.value, kind: kinds.value, active: active.checked }))));
    })),
    h('h2', {}, t('locations.new')),
    editForm(app, [...field(t('admin.name'), name), ...field(t('locations.code'), code), ...field(t('locations.kind'), kind)],
      [h('button', { class: 'primary', type: 'submit' }, t('locations.new'))],
      () => api('POST', '/locations', { name: name.value, code: code.value, kind: kind.value })));
}
