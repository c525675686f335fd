// Rooster: the week's shifts at De Loods and De Cirkel, who is on them and who is still
// needed; sign up or withdraw. The coordinator also keeps the weekly pattern and makes
// the week's shifts from it.

import { api } from '../api.js';
import { addDays, formatDate, formatDateTime, formatTime, h, localDate } from '../dom.js';
import { errorText, language, t } from '../i18n.js';
import { fresh } from '../data.js';
import { locations } from './tonight.js';

let weekOffset = 0;

function monday(day) {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** Runs a change at the server and redraws, or says why it could not. */
async function change(app, work, done) {
  if (!navigator.onLine) {
    app.toast(t('rota.offline'));
    return;
  }
  try {
    const result = await work();
    if (done) app.toast(done(result));
    app.redraw();
  } catch (error) {
    app.toast(errorText(error));
  }
}

export async function showRota(main, app) {
  const start = addDays(monday(localDate()), 7 * weekOffset);
  const [{ value: shifts, stale }, { value: places }] = await Promise.all([
    fresh(`rota-${start}`, `/shifts?from=${start}&to=${addDays(start, 6)}`),
    locations(),
  ]);
  const lang = language();
  const coordinator = app.me.role === 'coordinator';
  const move = (delta) => () => { weekOffset += delta; app.redraw(); };
  main.append(h('h1', {}, t('rota.title')),
    h('div', { class: 'row' },
      h('button', { on: { click: move(-1) } }, `‹ ${t('rota.previous')}`),
      h('span', { class: 'grow meta' }, t('rota.week', { date: formatDate(start, lang) })),
      h('button', { on: { click: move(1) } }, `${t('rota.next')} ›`)));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  if (shifts.length === 0) main.append(h('p', {}, t('rota.none')));
  const now = Date.now();
  for (const shift of shifts) {
    const place = places.find((p) => p.id === shift.location_id)?.name ?? '';
    const mine = shift.staff.some((s) => s.user_id === app.me.id);
    const ahead = new Date(shift.starts_at).getTime() > now;
    const missing = shift.min_staff - shift.staff.length;
    const card = h('section', { class: 'card', dataset: { shift: String(shift.id) } },
      h('h2', {}, `${formatDateTime(shift.starts_at, lang)}–${formatTime(shift.ends_at, lang)} · ${place}`));
    if (shift.cancelled_at) {
      card.append(h('p', { class: 'error' }, t('rota.cancelled')));
    } else {
      card.append(
        h('p', { class: 'meta' }, shift.staff.map((s) => s.display_name).join(', ') || t('rota.nobody')),
        h('p', { class: missing > 0 ? 'error' : 'good' },
          missing > 0 ? t('rota.missing', { n: missing })
            : t('rota.staffing', { n: shift.staff.length, min: shift.min_staff })));
      if (ahead) {
        card.append(h('button', {
          class: mine ? '' : 'primary',
          on: { click: () => change(app, () => api(mine ? 'DELETE' : 'POST', `/shifts/${shift.id}/sign-up`, mine ? undefined : {})) },
        }, t(mine ? 'rota.withdraw' : 'rota.sign_up')));
      }
      if (coordinator && ahead) {
        card.append(h('button', {
          class: 'danger',
          on: { click: () => confirm(t('rota.cancel_confirm')) && change(app, () => api('POST', `/shifts/${shift.id}/cancel`, {})) },
        }, t('rota.cancel')));
      }
    }
    main.append(card);
  }
  if (coordinator) await planning(main, app, start, places);
}

/** The coordinator's part: the weekly pattern and making this week's shifts from it. */
async function planning(main, app, start, places) {
  const templates = navigator.onLine ? await api('GET', '/rota/templates').catch(() => []) : [];
  const days = t('rota.days').split(',');
  const placeName = (id) => places.find((p) => p.id === id)?.name ?? '';
  const section = h('section', { class: 'card' }, h('h2', {}, t('rota.templates')));
  if (templates.length === 0) section.append(h('p', { class: 'meta' }, t('rota.templates_none')));
  for (const template of templates.filter((x) => x.active)) {
    section.append(h('div', { class: 'row' },
      h('span', { class: 'grow' }, `${placeName(template.location_id)}: ${t('rota.template_line', {
        days: template.weekdays.map((d) => days[d - 1]).join(' '),
        starts: template.starts, ends: template.ends, min: template.min_staff,
      })}`),
      h('button', { on: { click: () => change(app, () => api('PUT', `/rota/templates/${template.id}`, { ...withoutId(template), active: false })) } },
        t('rota.template_off'))));
  }
  section.append(h('button', {
    class: 'primary',
    id: 'generate',
    on: { click: () => change(app, () => api('POST', '/rota/generate', { from: start, to: addDays(start, 6) }), (r) => t('rota.generated', r)) },
  }, t('rota.generate')));
  main.append(section, templateForm(app, places, days));
}

function withoutId(template) {
  const { id: _, ...rest } = template;
  return rest;
}

function templateForm(app, places, days) {
  const location = h('select', { id: 'template-location' },
    places.filter((p) => p.active).map((p) => h('option', { value: String(p.id) }, p.name)));
  const boxes = days.map((day, i) => h('label', { class: 'inline' },
    h('input', { type: 'checkbox', value: String(i + 1), checked: i < 5 }), ` ${day}`));
  const starts = h('input', { id: 'template-starts', type: 'time', value: '20:00', required: true });
  const ends = h('input', { id: 'template-ends', type: 'time', value: '00:30', required: true });
  const min = h('input', { id: 'template-min', type: 'number', min: '1', max: '20', value: '2', required: true });
  return h('form', { class: 'card', on: { submit: (event) => {
    event.preventDefault();
    const weekdays = boxes.map((b) => b.firstChild).filter((b) => b.checked).map((b) => Number(b.value));
    change(app, () => api('POST', '/rota/templates', {
      location_id: Number(location.value), weekdays, starts: starts.value, ends: ends.value, min_staff: Number(min.value),
    }), () => t('rota.template_saved'));
  } } },
  h('h2', {}, t('rota.template_add')),
  h('label', { for: 'template-location' }, t('rota.template_location')), location,
  h('fieldset', {}, h('legend', {}, t('rota.template_days')), boxes),
  h('label', { for: 'template-starts' }, t('rota.template_starts')), starts,
  h('label', { for: 'template-ends' }, t('rota.template_ends')), ends,
  h('label', { for: 'template-min' }, t('rota.template_min')), min,
  h('button', { type: 'submit' }, t('settings.save')));
}
