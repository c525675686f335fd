// Cijfers: the figures of a year, quarter, month or ISO week in the shape the municipality
// asks for, a bar chart of contacts per ISO week, and CSV downloads. Periods are picked,
// never typed as days: the server gives figures for these fixed periods only. Outside the
// team (the municipality; the coordinator when she asks for figures to pass on) counts
// below 5 show as "<5" and the rest are rounded to 5. Under the counts of contacts: the
// caseload and its categories at the period's end, outflow by reason, registration events;
// a group this server does not count is left out.

import { ApiError, api } from '../api.js';
import { formatDate, formatNumber, h, localDate } from '../dom.js';
import { errorText, language, t } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const KINDS = ['year', 'quarter', 'month', 'week'];
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;
let shown = null;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

const pad = (n) => String(n).padStart(2, '0');

/** The ISO week of a YYYY-MM-DD day: { year, week }. */
export function isoWeek(day) {
  const d = new Date(`${day}T12:00:00Z`);
  const thursday = new Date(d);
  thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const year = thursday.getUTCFullYear();
  const january4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((thursday - january4) / 864e5 - 3 + ((january4.getUTCDay() + 6) % 7)) / 7);
  return { year, week };
}

/** 52 or 53: the week of 28 December is a year's last ISO week. */
export const weeksIn = (year) => isoWeek(`${year}-12-28`).week;

/** The period as the server names it: 2026, 2026-Q2, 2026-06 or 2026-W23. */
export function periodName(p) {
  if (p.kind === 'quarter') return `${p.year}-Q${p.quarter}`;
  if (p.kind === 'month') return `${p.year}-${pad(p.month)}`;
  if (p.kind === 'week') return `${p.year}-W${pad(p.week)}`;
  return String(p.year);
}

/** Today's year, quarter, month and ISO week (for a week, the year is its ISO year). */
function today() {
  const day = localDate();
  const month = Number(day.slice(5, 7));
  return { kind: 'year', year: Number(day.slice(0, 4)), quarter: Math.ceil(month / 3), month, week: isoWeek(day).week, protected: false };
}

/** "<5" draws as a stub of 2 so the week is visibly not empty, and says "<5" on hover. */
const height = (value) => (typeof value === 'number' ? value : 2);

export function barChart(weeks, period) {
  const width = 320;
  const tall = 160;
  const max = Math.max(1, ...weeks.map((w) => height(w.contacts)));
  const step = width / Math.max(1, weeks.length);
  const busiest = Math.max(0, ...weeks.map((w) => (typeof w.contacts === 'number' ? w.contacts : 0)));
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${tall + 16}`, role: 'img', class: 'chart',
    'aria-label': t('reports.chart_label', { period, max: busiest }),
  });
  weeks.forEach((week, i) => {
    const barHeight = (height(week.contacts) / max) * tall;
    chart.append(svg('rect', {
      x: (i * step + step * 0.1).toFixed(1), y: (tall - barHeight).toFixed(1),
      width: (step * 0.8).toFixed(1), height: barHeight.toFixed(1), class: 'chart-bar',
    }, svg('title', {}, `${week.week} (${week.week_start}): ${week.contacts}`)));
  });
  chart.append(svg('line', { x1: 0, y1: tall, x2: width, y2: tall, class: 'axis' }),
    svg('text', { x: 0, y: tall + 13, class: 'label' }, weeks[0]?.week ?? ''),
    svg('text', { x: width, y: tall + 13, class: 'label', 'text-anchor': 'end' }, weeks.at(-1)?.week ?? ''));
  return chart;
}

/** Groups of figures: [figure, heading, [key, label key]...]; a number alone is one row, without a heading. */
const GROUPS = [
  ['caseload', 'reports.caseload', ['active', 'regular_care', 'closed'].map((k) => [k, `caseload.${k}`])],
  ['out_of_view', 'reports.out_of_view', []],
  ['categories', 'reports.categories', [
    ['region', 'file.region', ['nijmegen', 'mo_region', 'outside'].map((k) => [k, `region.${k}`])],
    ['addiction', 'file.addiction', ['yes', 'no', 'unknown'].map((k) => [k, `addiction.${k}`])],
    ['sheltered_housing', 'file.sheltered_housing'],
    ['known_at_huiskamer', 'file.known_at_huiskamer'],
    ['registered', 'reports.registered'],
  ]],
  ['outflow', 'reports.outflow', ['regular_care', 'moved_away', 'stopped_sex_work', 'detained', 'deceased', 'other']
    .map((k) => [k, `exit_reason.${k}`])],
  ['registration_events', 'reports.registration_events', ['applied', 'granted', 'refused', 'expired', 'renewed', 'ended']
    .map((k) => [k, `registration_event.${k}`])],
];

const row = (label, value) => h('tr', {}, h('th', { scope: 'row' }, t(label)), h('td', {}, value == null ? '–' : formatNumber(value, language())));

/** One group as tables: its numbers in one, and each part with parts of its own under a subheading. */
function groupTables(name, value, parts) {
  const single = parts.filter(([key, , inner]) => !inner && key in value).map(([key, label]) => row(label, value[key]));
  const nested = parts.filter(([key, , inner]) => inner && key in value).flatMap(([key, label, inner]) => [
    h('h3', {}, t(label)),
    h('table', { class: 'figures', id: `figures-${name}-${key}` }, h('tbody', {},
      inner.filter(([part]) => part in value[key]).map(([part, partLabel]) => row(partLabel, value[key][part])))),
  ]);
  return [...(single.length ? [h('table', { class: 'figures', id: `figures-${name}` }, h('tbody', {}, single))] : []), ...nested];
}

/** The groups of figures this server counts (beside `figures` in its answer), each under its heading. */
function groups(report) {
  return GROUPS.filter(([name]) => name in report).flatMap(([name, heading, parts]) => {
    const value = report[name];
    if (typeof value !== 'object' || value === null) {
      return [h('table', { class: 'figures', id: `figures-${name}` }, h('tbody', {}, row(heading, value)))];
    }
    return [h('h2', {}, t(heading)), ...groupTables(name, value, parts)];
  });
}

/** The pickers: the kind of period, its year, and its quarter, month or week. */
function pickers(app) {
  const change = (update) => () => { update(); app.redraw(); };
  const kind = h('select', { id: 'report-kind', on: { change: change(() => { shown.kind = kind.value; }) } },
    KINDS.map((k) => h('option', { value: k, selected: k === shown.kind }, t(`reports.kind_${k}`))));
  const year = h('input', {
    id: 'report-year', type: 'number', min: String(FIRST_YEAR), max: String(LAST_YEAR), value: String(shown.year),
    on: { change: change(() => { shown.year = Math.min(LAST_YEAR, Math.max(FIRST_YEAR, Number(year.value) || shown.year)); }) },
  });
  const fields = [h('label', { for: 'report-kind' }, t('reports.period')), kind,
    h('label', { for: 'report-year' }, t('reports.year')), year];
  if (shown.kind === 'quarter') {
    const quarter = h('select', { id: 'report-quarter', on: { change: change(() => { shown.quarter = Number(quarter.value); }) } },
      [1, 2, 3, 4].map((n) => h('option', { value: String(n), selected: n === shown.quarter }, t('reports.quarter_n', { n }))));
    fields.push(h('label', { for: 'report-quarter' }, t('reports.kind_quarter')), quarter);
  } else if (shown.kind === 'month') {
    const names = new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'nl-NL', { month: 'long', timeZone: 'UTC' });
    const month = h('select', { id: 'report-month', on: { change: change(() => { shown.month = Number(month.value); }) } },
      Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1), selected: i + 1 === shown.month },
        names.format(new Date(Date.UTC(2000, i, 1))))));
    fields.push(h('label', { for: 'report-month' }, t('reports.kind_month')), month);
  } else if (shown.kind === 'week') {
    const last = weeksIn(shown.year);
    const week = h('input', {
      id: 'report-week', type: 'number', min: '1', max: String(last), value: String(shown.week),
      on: { change: change(() => { shown.week = Math.min(last, Math.max(1, Number(week.value) || shown.week)); }) },
    });
    fields.push(h('label', { for: 'report-week' }, t('reports.kind_week')), week);
  }
  if (app.me.role === 'coordinator') {
    const outside = h('input', {
      id: 'report-protected', type: 'checkbox', checked: shown.protected,
      on: { change: change(() => { shown.protected = outside.checked; }) },
    });
    fields.push(h('label', { class: 'inline' }, outside, ` ${t('reports.protected')}`));
  }
  return h('div', { class: 'report-period' }, fields);
}

export async function showReports(main, app) {
  shown ??= today();
  shown.week = Math.min(shown.week, weeksIn(shown.year));
  const period = periodName(shown);
  const query = `period=${period}${shown.protected ? '&protected=true' : ''}`;
  let report;
  let weeks;
  try {
    [report, weeks] = await Promise.all([
      api('GET', `/reports?${query}`),
      api('GET', `/reports/weekly?${query}`),
    ]);
  } catch (error) {
    // A period the server refuses: the pickers stay, to choose another.
    if (!(error instanceof ApiError) || error.code !== 'bad_period') throw error;
    main.append(h('h1', {}, t('reports.title')), pickers(app), h('p', { class: 'error', role: 'alert' }, errorText(error)));
    return;
  }
  const f = report.figures;
  const rows = [
    ['reports.contacts', f.contacts],
    ['reports.contacts_named', f.contacts_named],
    ['reports.contacts_anonymous', f.contacts_anonymous],
    ['reports.unique_clients', f.unique_clients],
    ['reports.new_clients', f.new_clients],
    ['reports.left_clients', f.clients_left],
    ['reports.shifts_held', f.shifts_held],
    ['reports.average', f.average_visitors_per_shift],
  ];
  main.append(h('h1', {}, t('reports.title')),
    pickers(app),
    h('p', { class: 'meta' }, t('reports.days', { from: formatDate(report.from, language()), to: formatDate(report.to, language()) })),
    h('table', { class: 'figures' }, h('tbody', {},
      rows.map(([key, value]) => h('tr', {}, h('th', { scope: 'row' }, t(key)), h('td', {}, formatNumber(value, language())))))),
    ...groups(report),
    h('h2', {}, t('reports.chart')),
    barChart(weeks, period),
    h('p', { class: 'meta' }, t('reports.chart_weeks')),
    h('p', {},
      h('a', { href: `/api/v1/reports/figures.csv?${query}`, download: '' }, `${t('reports.csv')} (${t('reports.title').toLowerCase()})`),
      ' · ',
      h('a', { href: `/api/v1/reports/weekly.csv?${query}`, download: '' }, `${t('reports.csv')} (${t('reports.chart').toLowerCase()})`)));
  if (report.rounded_to) main.append(h('p', { class: 'meta' }, t('reports.suppressed')));
}
