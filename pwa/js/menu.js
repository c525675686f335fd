// The menu: a bar at the bottom of a phone, at the top of a desktop. On a phone it holds
// at most five places, each an icon with a short label, so that every role's menu fits a
// 320 px screen without scrolling: a role with more than five has its first four there and
// the rest under "Meer", which opens a panel above the bar. A desktop shows them all.

import { h } from './dom.js';
import { t } from './i18n.js';

// Field roles work shifts and clients; the figures are for the coordinator and the
// municipality (who sees nothing else); the admin keeps accounts, teams, locations and
// partners (and sees no client). The backend enforces this; the menu and the routes
// follow it, so no screen a role cannot use is reachable. The coordinator's Team,
// Registraties and lists of clients out of view or without a casemanager open from
// Cliënten, which keeps her menu at nine items; her Signalen (triage) and Casusoverleg
// are among them.
export const FIELD = ['coordinator', 'casemanager', 'peer'];
const MENU = [
  ['#/vanavond', 'nav.tonight', FIELD, 'moon'],
  ['#/turven', 'nav.tally', FIELD, 'tally'],
  ['#/clienten', 'nav.clients', FIELD, 'people'],
  // The process director's Opvolging is her escalation list.
  ['#/opvolging', 'nav.followups', [...FIELD, 'process_director'], 'bell'],
  // Her overview of the cases, without names, and the stagnations escalated to her.
  ['#/regie', 'nav.director', ['process_director'], 'chart'],
  ['#/rooster', 'nav.rota', FIELD, 'calendar'],
  ['#/signalen', 'nav.signals', ['coordinator'], 'flag'],
  // Case meetings: the coordinator plans them, her casemanagers record in them.
  ['#/casusoverleg', 'nav.meetings', ['coordinator', 'casemanager'], 'table'],
  ['#/cijfers', 'nav.reports', ['coordinator', 'municipality'], 'chart'],
  ['#/beheer', 'nav.admin', ['admin'], 'key'],
  ['#/instellingen', 'nav.settings', null, 'gear'],
];

/** Places a phone's bar shows before the rest go under "Meer". */
const ON_THE_BAR = 5;

// 24×24 outline icons, drawn for InBeeld (no icon font to download).
const ICONS = {
  moon: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5Z',
  tally: 'M5 4v16M9 4v16M13 4v16M17 4v16M3 15l18-6',
  people: 'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8ZM2 21c0-4 3-6 7-6s7 2 7 6M16 3.5a4 4 0 0 1 0 7.5M18 15c2.5.6 4 2.5 4 6',
  bell: 'M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2ZM10 21h4',
  calendar: 'M4 6h16v15H4zM4 10h16M8 3v5M16 3v5',
  flag: 'M5 21V4M5 4h12l-2.5 4L17 12H5',
  chart: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  key: 'M14 10a4 4 0 1 0-3.5 4L9 16H7v2H5v2H2v-3l7.5-7.5A4 4 0 0 0 14 10ZM16 8h.01',
  gear: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM19 12l2-1-1-3-2 .3-1.5-1.5.3-2-3-1-1 2h-2l-1-2-3 1 .3 2L5.6 7.3 3.6 7l-1 3 2 1v2l-2 1 1 3 2-.3 1.5 1.5-.3 2 3 1 1-2h2l1 2 3-1-.3-2 1.5-1.5 2 .3 1-3-2-1v-2Z',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  table: 'M3 9h18v3H3zM6 12v8M18 12v8M8 5a2 2 0 1 0 4 0 2 2 0 0 0-4 0ZM14 5a2 2 0 1 0 4 0 2 2 0 0 0-4 0Z',
};

function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

function link(hash, key, iconName, current) {
  return h('a', { href: hash, 'aria-current': current ? 'page' : undefined }, icon(iconName), h('span', {}, t(key)));
}

/** Draws the menu of `role` into `nav` (empty when nobody is signed in). */
export function drawMenu(nav, role) {
  nav.replaceChildren();
  if (!role) return;
  const places = MENU.filter(([, , roles]) => !roles || roles.includes(role));
  const isCurrent = (hash) => location.hash.startsWith(hash);
  const split = places.length > ON_THE_BAR ? ON_THE_BAR - 1 : places.length;
  const bar = places.map(([hash, key, , name], i) => {
    const a = link(hash, key, name, isCurrent(hash));
    // Beyond the bar on a phone; in line on a desktop.
    if (i >= split) a.classList.add('extra');
    return a;
  });
  nav.append(...bar);
  const rest = places.slice(split);
  if (rest.length === 0) return;
  const panel = h('div', { id: 'more-menu', hidden: true },
    rest.map(([hash, key, , name]) => link(hash, key, name, isCurrent(hash))));
  const more = h('button', {
    type: 'button', id: 'more', class: 'more', 'aria-expanded': 'false', 'aria-controls': 'more-menu',
    'aria-current': rest.some(([hash]) => isCurrent(hash)) ? 'page' : undefined,
  }, icon('more'), h('span', {}, t('nav.more')));
  const toggle = (open) => {
    panel.hidden = !open;
    more.setAttribute('aria-expanded', String(open));
  };
  more.addEventListener('click', () => toggle(panel.hidden));
  panel.addEventListener('click', () => toggle(false));
  nav.append(more, panel);
}
