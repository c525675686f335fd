// Regie: the process director's screen. Her overview of the cases across the teams,
// without names (caseload by status, women out of view, Top 15&15, open stagnations by kind
// and age, referrals waiting per partner and kind with their median wait), and below it
// the stagnations escalated to her, each linking to the client's page where she answers.

import { api } from '../api.js';
import { formatNumber, h } from '../dom.js';
import { language, t } from '../i18n.js';
import { KINDS, stagnationItem } from './client_stagnations.js';

const AGES = ['under_4_weeks', '4_to_12_weeks', 'over_12_weeks'];

const row = (label, value, attrs = {}) => h('tr', attrs, h('th', { scope: 'row' }, label), h('td', {}, String(value)));

function overviewCard(o, lang) {
  const stagnated = KINDS.filter((k) => o.open_stagnations[k]);
  return h('section', { class: 'card', id: 'overview' }, h('h2', {}, t('director.overview')),
    h('table', { class: 'figures' }, h('tbody', {},
      ['active', 'regular_care', 'closed'].map((s) => row(t(`director.caseload_${s}`), o.caseload[s] ?? 0)),
      row(t('director.out_of_view'), o.out_of_view, { id: 'overview-out-of-view' }),
      row(t('director.top15'), o.top15, { id: 'overview-top15' }))),
    h('h3', {}, t('director.open_stagnations')),
    stagnated.length
      ? h('table', { class: 'figures', id: 'overview-stagnations' }, h('tbody', {}, stagnated.map((k) => row(t(`stagnation_kind.${k}`),
        AGES.map((a) => o.open_stagnations[k][a] ?? 0).join(' / ')))),
      h('caption', {}, t('director.ages')))
      : h('p', { class: 'meta' }, t('stagnations.none')),
    h('h3', {}, t('director.waiting')),
    o.waiting_referrals.length
      ? h('ul', { class: 'list', id: 'overview-waiting' }, o.waiting_referrals.map((g) => h('li', {},
        h('strong', {}, t(`referral_kind.${g.kind}`)), ` · ${g.partner ?? t('referrals.no_partner')}`,
        h('div', { class: 'meta' }, t('director.waiting_line', { n: g.count, days: formatNumber(g.median_waiting_days, lang) })))))
      : h('p', { class: 'meta' }, t('director.waiting_none')));
}

export async function showDirector(main) {
  const lang = language();
  const [overview, stagnations] = await Promise.all([api('GET', '/overview'), api('GET', '/stagnations')]);
  main.append(h('h1', {}, t('nav.director')), overviewCard(overview, lang),
    h('section', { id: 'director-stagnations' }, h('h2', {}, t('stagnations.mine')),
      stagnations.length
        ? h('ul', { class: 'list' }, stagnations.map((s) => stagnationItem(s, lang, [
          h('p', {}, h('a', { href: `#/client/${s.client_id}` }, s.top15 ? `${s.alias} · ${t('file.top15_mark')}` : s.alias)),
        ])))
        : h('p', {}, t('stagnations.none'))));
}
