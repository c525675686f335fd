// Her plan: her progress per life domain (ZRM) since intake, with a small chart of each
// domain over time, and the form to score the domains. Scores are for her casemanagers
// and the coordinator; the server refuses them to other roles, and this section is not
// drawn for them. A new assessment goes through the outbox with its own Idempotency-Key,
// like a contact: made without a network it is kept on the phone and sent once later.

import { ApiError } from '../api.js';
import { formatDate, h, localDate, svg } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, field, select } from '../online_forms.js';
import { enqueue, flush, pending, refused } from '../queue.js';
import { remove } from '../store.js';

/** The 13 domains in the matrix's order, as the server names them. */
export const DOMAINS = ['finances', 'work_education', 'time_use', 'housing', 'domestic_relations',
  'mental_health', 'physical_health', 'substance_use', 'basic_adl', 'instrumental_adl',
  'social_network', 'social_participation', 'justice'];

/** A domain's scores over time as a small line chart, 1 (bottom) to 5 (top). */
export function domainChart(domain, points, lang) {
  const width = 120;
  const tall = 40;
  const pad = 4;
  const y = (score) => pad + ((5 - score) / 4) * (tall - 2 * pad);
  const first = Date.parse(points[0].on);
  const span = Date.parse(points[points.length - 1].on) - first;
  // Along time; scores of one day (a correction, an intake scored twice) side by side.
  const x = (on, i) => {
    if (points.length === 1) return width / 2;
    const share = span > 0 ? (Date.parse(on) - first) / span : i / (points.length - 1);
    return pad + share * (width - 2 * pad);
  };
  const label = t('plan.chart_label', {
    domain: t(`domain.${domain}`),
    scores: points.map((p) => `${formatDate(p.on, lang)}: ${p.score}`).join(', '),
  });
  const chart = svg('svg', { viewBox: `0 0 ${width} ${tall}`, role: 'img', class: 'chart spark', 'aria-label': label });
  for (const score of [1, 3, 5]) {
    chart.append(svg('line', { x1: 0, y1: y(score), x2: width, y2: y(score), class: 'grid' }));
  }
  const xy = points.map((p, i) => `${x(p.on, i).toFixed(1)},${y(p.score).toFixed(1)}`);
  if (points.length > 1) chart.append(svg('polyline', { points: xy.join(' '), class: 'chart-line' }));
  points.forEach((p, i) => {
    const [cx, cy] = xy[i].split(',');
    chart.append(svg('circle', { cx, cy, r: 3, class: 'chart-dot' },
      svg('title', {}, `${formatDate(p.on, lang)}: ${p.score}`)));
  });
  return chart;
}

function changeText(change) {
  if (change === null || change === undefined) return '';
  if (change > 0) return t('plan.up', { n: change });
  if (change < 0) return t('plan.down', { n: -change });
  return t('plan.same');
}

export function planSection(app, client, progress, lang) {
  const section = h('section', { id: 'plan' }, h('h2', {}, t('plan.title')));
  const scored = progress.domains.filter((d) => d.points.length);
  if (scored.length === 0) {
    section.append(h('p', {}, t('plan.none_yet')));
  } else {
    section.append(h('p', { id: 'plan-summary' }, t('plan.summary', {
      improved: progress.improved, declined: progress.declined, equal: progress.equal,
    })));
    section.append(h('ul', { class: 'list plan-domains' }, scored.map((d) => h('li', { dataset: { domain: d.domain } },
      h('div', { class: 'plan-row' },
        h('div', {},
          h('strong', {}, t(`domain.${d.domain}`)),
          h('div', { class: 'meta' }, [
            t('plan.latest', { score: d.latest, level: t(`score.${d.latest}`) }),
            d.change === null ? null : t('plan.intake', { score: d.intake }),
            changeText(d.change) || null,
          ].filter(Boolean).join(' · '))),
        domainChart(d.domain, d.points, lang))))));
  }
  const form = scoreForm(app, client);
  section.append(h('p', {}, h('button', { type: 'button', id: 'plan-score-open', 'aria-expanded': 'false', on: { click: (event) => {
    form.hidden = !form.hidden;
    event.target.setAttribute('aria-expanded', String(!form.hidden));
  } } }, t('plan.score'))), form);
  return section;
}

/** Leefgebieden scoren: a day and, per domain, a score (or none) and a short note. */
function scoreForm(app, client) {
  const today = localDate();
  const on = h('input', { id: 'plan-on', type: 'date', value: today, max: today, required: true });
  const levels = [['', t('plan.not_scored')], ...[1, 2, 3, 4, 5].map((n) => [String(n), `${n} · ${t(`score.${n}`)}`])];
  const rows = DOMAINS.map((domain) => {
    const score = select(`plan-score-${domain}`, levels, '');
    const note = h('input', { id: `plan-note-${domain}`, maxlength: '500', autocomplete: 'off', placeholder: t('plan.note'), 'aria-label': t('plan.note_for', { domain: t(`domain.${domain}`) }), hidden: true });
    score.addEventListener('change', () => { note.hidden = score.value === ''; });
    return { domain, score, note, row: h('div', { class: 'plan-score' }, ...field(`plan-score-${domain}`, t(`domain.${domain}`), score), note) };
  });
  return changeForm({
    id: 'plan-score',
    title: t('plan.score'),
    hidden: true,
    fields: [...field('plan-on', t('plan.on'), on), ...rows.map((r) => r.row)],
    submit: t('plan.save'),
    queued: true,
    run: async () => {
      const scores = rows.filter((r) => r.score.value !== '').map((r) => ({
        domain: r.domain, score: Number(r.score.value), note: r.note.value.trim() || null,
      }));
      const key = await enqueue(`/clients/${client.id}/assessments`, { on: on.value, scores });
      await flush();
      if ((await pending()).some((item) => item.key === key)) {
        app.toast(t('plan.queued'));
        return;
      }
      // Refused at once (a score left out, a day in the future): said on the form, not
      // kept aside with what waits for a network.
      const refusal = (await refused()).find((item) => item.key === key);
      if (refusal) {
        await remove('failed', key);
        throw new ApiError(refusal.status, refusal.error, refusal.error);
      }
      app.toast(t('plan.saved'));
      app.redraw();
    },
  });
}
