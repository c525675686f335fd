// Cijfers: the year's figures in the shape the municipality asks for, a bar chart of
// contacts per week, and CSV downloads. The municipality sees "<5" for small numbers.

import { api } from '../api.js';
import { h, localDate } from '../dom.js';
import { t } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
let shownYear = null;

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** "<5" draws as a stub of 2 so the week is visibly not empty, and says "<5" on hover. */
const height = (value) => (typeof value === 'number' ? value : 2);

export function barChart(weeks, year) {
  const width = 320;
  const tall = 160;
  const max = Math.max(1, ...weeks.map((w) => height(w.contacts)));
  const step = width / Math.max(1, weeks.length);
  const busiest = Math.max(0, ...weeks.map((w) => (typeof w.contacts === 'number' ? w.contacts : 0)));
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${tall + 16}`, role: 'img', class: 'chart',
    'aria-label': t('reports.chart_label', { year, max: busiest }),
  });
  weeks.forEach((week, i) => {
    const barHeight = (height(week.contacts) / max) * tall;
    chart.append(svg('rect', {
      x: (i * step + step * 0.1).toFixed(1), y: (tall - barHeight).toFixed(1),
      width: (step * 0.8).toFixed(1), height: barHeight.toFixed(1), class: 'chart-bar',
    }, svg('title', {}, `${week.week_start}: ${week.contacts}`)));
  });
  chart.append(svg('line', { x1: 0, y1: tall, x2: width, y2: tall, class: 'axis' }),
    svg('text', { x: 0, y: tall + 13, class: 'label' }, weeks[0]?.week_start ?? ''),
    svg('text', { x: width, y: tall + 13, class: 'label', 'text-anchor': 'end' }, weeks.at(-1)?.week_start ?? ''));
  return chart;
}

export async function showReports(main, app) {
  const year = shownYear ?? Number(localDate().slice(0, 4));
  const [report, weeks] = await Promise.all([
    api('GET', `/reports?year=${year}`),
    api('GET', `/reports/weekly?year=${year}`),
  ]);
  const pick = h('input', {
    id: 'report-year', type: 'number', min: '2000', max: '2100', value: String(year),
    on: { change: () => { shownYear = Number(pick.value) || year; app.redraw(); } },
  });
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
    h('label', { for: 'report-year' }, t('reports.year')), pick,
    h('table', { class: 'figures' }, h('tbody', {},
      rows.map(([key, value]) => h('tr', {}, h('th', { scope: 'row' }, t(key)), h('td', {}, String(value)))))),
    h('h2', {}, t('reports.chart')),
    barChart(weeks, year),
    h('p', {},
      h('a', { href: `/api/v1/reports/figures.csv?year=${year}`, download: '' }, `${t('reports.csv')} (${t('reports.title').toLowerCase()})`),
      ' · ',
      h('a', { href: `/api/v1/reports/weekly.csv?year=${year}`, download: '' }, `${t('reports.csv')} (${t('reports.chart').toLowerCase()})`)));
  if (app.me.role === 'municipality') main.append(h('p', { class: 'meta' }, t('reports.suppressed')));
}
