// Verantwoording on Cijfers: the report pack for the year, quarter or month picked there,
// each figure beside the same period a year before, section by section, with the CSV and
// the PDF to download. Loaded when the pack is first opened. The municipality's pack holds
// "<5" where a number is small or would give a small one away.

import { api } from '../api.js';
import { formatDate, formatEuro, formatNumber, h } from '../dom.js';
import { language, t } from '../i18n.js';

const SECTIONS = ['contacts', 'living_room', 'services', 'clients', 'registrations', 'care', 'plan', 'referrals', 'stagnations', 'signals', 'staffing'];

const pad = (n) => String(n).padStart(2, '0');

/** The first and last day of a year, quarter or month, as the pack is asked for. */
export function packDays(p) {
  const [first, months] = p.kind === 'quarter' ? [3 * p.quarter - 2, 3] : p.kind === 'month' ? [p.month, 1] : [1, 12];
  const lastMonth = first + months - 1;
  const lastDay = new Date(Date.UTC(p.year, lastMonth, 0)).getUTCDate();
  return { from: `${p.year}-${pad(first)}-01`, to: `${p.year}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/**
 * A figure's name from the words of its key after the section: "Uitstroom naar reden: verhuisd";
 * a service by its location's name and the service's word: "Huiskamer De Cirkel: soa-test".
 */
function label(key, pack) {
  const [section, ...codes] = key.split('.');
  const words = section === 'services'
    ? [pack.location_names?.[codes[0]] ?? codes[0], t(`service.${codes[1]}`)]
    : codes.map((code) => t(`pack.w.${code}`));
  const text = words.join(': ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function shown(key, value) {
  if (value == null) return '–';
  if (typeof value === 'number' && key.includes('_cents')) return formatEuro(value);
  return formatNumber(value, language());
}

/** One section's figures as a table: the figure, this period, the year before. */
function table(section, pack) {
  const rows = pack.figures.filter((f) => f.key.startsWith(`${section}.`));
  const before = pack.year_before?.period ?? '–';
  return h('table', { class: 'figures pack', id: `pack-${section}` },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, pack.period), h('th', { scope: 'col' }, before))),
    h('tbody', {}, rows.map((f) => h('tr', { 'data-key': f.key },
      h('th', { scope: 'row' }, label(f.key, pack)), h('td', {}, shown(f.key, f.value)), h('td', {}, shown(f.key, f.year_before))))));
}

/** The pack for `period` (with the location and protection of `query`), to put under the figures. */
export async function packView(period, query) {
  const { from, to } = packDays(period);
  const asked = `from=${from}&to=${to}${query}`;
  const pack = await api('GET', `/reports/pack?${asked}`);
  const parts = [
    h('p', { class: 'meta' }, t('pack.compared', {
      from: formatDate(pack.from, language()), to: formatDate(pack.to, language()), before: pack.year_before?.period ?? '–',
    })),
    h('p', { class: 'downloads' },
      h('a', { href: `/api/v1/reports/pack.pdf?${asked}`, download: '', class: 'button', id: 'pack-pdf' }, t('pack.pdf')),
      ' ',
      h('a', { href: `/api/v1/reports/pack.csv?${asked}`, download: '', class: 'button', id: 'pack-csv' }, t('pack.csv'))),
  ];
  for (const section of SECTIONS) parts.push(h('h3', {}, t(`pack.section.${section}`)), table(section, pack));
  if (pack.casemanagers?.length) {
    parts.push(h('h3', {}, t('pack.casemanagers')), h('table', { class: 'figures', id: 'pack-casemanagers' }, h('tbody', {},
      pack.casemanagers.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.name), h('td', {}, formatNumber(c.clients, language())))))));
  }
  if (pack.protected) parts.push(h('p', { class: 'meta' }, t('pack.protected')));
  return parts;
}
