// Cijfers: the figures of a year, quarter, month or ISO week in the shape the municipality
// asks for, of all locations or one, a bar chart of contacts per ISO week (with its scale,
// and no bar for a week not yet begun), and CSV downloads. Periods are picked,
// never typed as days: the server gives figures for these fixed periods only. Outside the
// team (the municipality; the coordinator when she asks for figures to pass on) counts
// below 5 show as "<5" and the rest are rounded to 5. Under the counts of contacts: the
// caseload and its categories at the period's end, outflow by reason, registration events;
// a group this server does not count is left out. Then the plans: per life domain how many
// women went up, stayed equal or went down between their first and latest assessment in
// the period (team-wide, never per location).
// For a year, quarter or month, the report pack (Verantwoording, screens/report_pack.js)
// opens below.

import { ApiError, api } from '../api.js';
import { formatDate, formatNumber, h, localDate, svg } from '../dom.js';
import { errorText, language, t } from '../i18n.js';
import { isoWeek, mondayOf, shortWeek, weeksIn } from '../weeks.js';
import { locations } from './tonight.js';

const KINDS = ['year', 'quarter', 'month', 'week'];
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;
let shown = null;

const pad = (n) => String(n).padStart(2, '0');

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
  return { kind: 'year', year: Number(day.slice(0, 4)), quarter: Math.ceil(month / 3), month, week: isoWeek(day).week, protected: false, location: '' };
}

/** "<5" draws as a stub of 2 so the week is visibly not empty, and says "<5" on hover. */
const height = (value) => (typeof value === 'number' ? value : 2);

/** A round step for the scale: 1, 2 or 5 times a power of ten, about a quarter of `max`. */
function tickStep(max) {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough);
}

/**
 * Contacts per week as bars over a scale of numbers. A week that has not begun gets no
 * bar (its zero is not a figure yet); a week on the axis is named by its number.
 */
export function barChart(weeks, period, today = localDate()) {
  const width = 320;
  const tall = 150;
  const left = 28;
  const top = 8;
  const begun = weeks.filter((w) => w.week_start <= mondayOf(today));
  const busiest = Math.max(0, ...begun.map((w) => (typeof w.contacts === 'number' ? w.contacts : 0)));
  const step = tickStep(Math.max(busiest, ...begun.map((w) => height(w.contacts))));
  const max = step * Math.max(1, Math.ceil(Math.max(1, busiest) / step));
  const slot = (width - left) / Math.max(1, weeks.length);
  const y = (value) => top + tall - (value / max) * tall;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${top + tall + 18}`, role: 'img', class: 'chart',
    'aria-label': t('reports.chart_label', { period, max: busiest }),
  });
  for (let value = 0; value <= max; value += step) {
    chart.append(svg('line', { x1: left, y1: y(value), x2: width, y2: y(value), class: value ? 'grid' : 'axis' }),
      svg('text', { x: left - 4, y: y(value) + 3, class: 'label', 'text-anchor': 'end' }, value));
  }
  weeks.forEach((week, i) => {
    if (!begun.includes(week)) return;
    const barHeight = (height(week.contacts) / max) * tall;
    chart.append(svg('rect', {
      x: (left + i * slot + slot * 0.1).toFixed(1), y: (top + tall - barHeight).toFixed(1),
      width: (slot * 0.8).toFixed(1), height: barHeight.toFixed(1), class: 'chart-bar', 'data-week': week.week,
    }, svg('title', {}, `${shortWeek(week.week_start)}: ${week.contacts}`)));
  });
  // Week numbers under the bars, as many as fit side by side: every week, or every 2nd, 4th, 8th.
  const every = [1, 2, 4, 8].find((n) => weeks.length / n <= 7) ?? 13;
  weeks.forEach((week, i) => {
    if (i % every) return;
    chart.append(svg('text', {
      x: (left + i * slot + slot / 2).toFixed(1), y: top + tall + 13, class: 'label', 'text-anchor': 'middle',
    }, shortWeek(week.week_start)));
  });
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

/** Per life domain: vooruit, gelijk, achteruit ("<5" outside the team). */
function planProgress(progress) {
  const lang = language();
  const trends = ['improved', 'equal', 'declined'];
  return [h('h2', {}, t('reports.plan_progress')),
    h('p', { class: 'meta' }, t('reports.plan_progress_hint')),
    h('table', { class: 'figures trends', id: 'figures-plan-progress' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('reports.domain')),
        trends.map((trend) => h('th', { scope: 'col' }, t(`reports.${trend}`))))),
      h('tbody', {}, progress.domains.map((d) => h('tr', { dataset: { domain: d.domain } },
        h('th', { scope: 'row' }, t(`domain.${d.domain}`)),
        trends.map((trend) => h('td', { dataset: { trend } }, formatNumber(d[trend], lang)))))))];
}

/** The pickers: the kind of period, its year, and its quarter, month or week; the location. */
function pickers(app, places) {
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
  if (places.length > 1) {
    const where = h('select', { id: 'report-location', on: { change: change(() => { shown.location = where.value; }) } },
      h('option', { value: '' }, t('reports.all_locations')),
      places.map((p) => h('option', { value: String(p.id), selected: String(p.id) === shown.location }, p.name)));
    fields.push(h('label', { for: 'report-location' }, t('reports.location')), where);
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

/** Verantwoording, the report pack of a year, quarter or month: opened on request, when its module loads. */
function packSection(query) {
  const period = { ...shown };
  const body = h('div', { id: 'pack' });
  const open = h('button', { type: 'button', id: 'pack-open', on: { click: async () => {
    open.disabled = true;
    try {
      const { packView } = await import('./report_pack.js');
      body.replaceChildren(...await packView(period, query));
      open.remove();
    } catch (error) {
      open.disabled = false;
      body.replaceChildren(h('p', { class: 'error', role: 'alert' }, errorText(error)));
    }
  } } }, t('pack.open'));
  return h('section', { id: 'pack-section' }, h('h2', {}, t('pack.title')), h('p', { class: 'meta' }, t('pack.about')), open, body);
}

export async function showReports(main, app) {
  shown ??= today();
  shown.week = Math.min(shown.week, weeksIn(shown.year));
  const period = periodName(shown);
  const query = `period=${period}${shown.location ? `&location_id=${shown.location}` : ''}${shown.protected ? '&protected=true' : ''}`;
  const places = (await locations().catch(() => ({ value: [] }))).value.filter((p) => p.active || String(p.id) === shown.location);
  let report;
  let weeks;
  let progress;
  try {
    [report, weeks, progress] = await Promise.all([
      api('GET', `/reports?${query}`),
      api('GET', `/reports/weekly?${query}`),
      api('GET', `/reports/plan-progress?period=${period}${shown.protected ? '&protected=true' : ''}`),
    ]);
  } catch (error) {
    // A period the server refuses: the pickers stay, to choose another.
    if (!(error instanceof ApiError) || error.code !== 'bad_period') throw error;
    main.append(h('h1', {}, t('reports.title')), pickers(app, places), h('p', { class: 'error', role: 'alert' }, errorText(error)));
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
  const place = places.find((p) => String(p.id) === shown.location);
  main.append(h('h1', {}, t('reports.title')),
    pickers(app, places),
    ...(place ? [h('p', { class: 'meta', id: 'report-place' }, t('reports.at_location', { name: place.name }))] : []),
    h('p', { class: 'meta' }, t('reports.days', { from: formatDate(report.from, language()), to: formatDate(report.to, language()) })),
    h('table', { class: 'figures' }, h('tbody', {},
      rows.map(([key, value]) => h('tr', {}, h('th', { scope: 'row' }, t(key)), h('td', {}, formatNumber(value, language())))))),
    ...groups(report),
    ...planProgress(progress),
    h('h2', {}, t('reports.chart')),
    barChart(weeks, period),
    h('p', { class: 'meta' }, t('reports.chart_weeks')),
    h('p', {},
      h('a', { href: `/api/v1/reports/figures.csv?${query}`, download: '' }, `${t('reports.csv')} (${t('reports.title').toLowerCase()})`),
      ' · ',
      h('a', { href: `/api/v1/reports/weekly.csv?${query}`, download: '' }, `${t('reports.csv')} (${t('reports.chart').toLowerCase()})`)));
  if (report.rounded_to) main.append(h('p', { class: 'meta' }, t('reports.suppressed')));
  if (shown.kind !== 'week') {
    main.append(packSection(`${shown.location ? `&location_id=${shown.location}` : ''}${shown.protected ? '&protected=true' : ''}`));
  }
}
