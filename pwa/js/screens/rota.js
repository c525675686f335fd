// Rooster: the week's shifts at De Loods and De Cirkel, who is on them and who is still
// needed; sign up or withdraw, and "Waar ben ik nodig" narrows the week to the shifts
// short of staff that one is not on. On a desktop the week is a grid, a column a day,
// where the coordinator puts colleagues on the gaps. The coordinator also keeps the
// weekly pattern and makes the week's shifts from it.

import { api } from '../api.js';
import { addDays, formatDateTime, formatTime, h, localDate } from '../dom.js';
import { errorText, language, t } from '../i18n.js';
import { fresh } from '../data.js';
import { dayMonth, mondayOf, weekLabel } from '../weeks.js';
import { locations } from './tonight.js';

let weekOffset = 0;
let neededOnly = false;
const WIDE = window.matchMedia('(min-width: 900px)');

// The Rooster opens at this week: leaving it forgets the week browsed to.
window.addEventListener('hashchange', () => {
  if (!location.hash.startsWith('#/rooster')) weekOffset = 0;
});

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

/** A shift short of staff that she is not on, still ahead: where she is needed. */
const needsMe = (shift, me, now) => !shift.cancelled_at && shift.staff.length < shift.min_staff
  && !shift.staff.some((s) => s.user_id === me) && new Date(shift.starts_at).getTime() > now;

export async function showRota(main, app) {
  const start = addDays(mondayOf(localDate()), 7 * weekOffset);
  const coordinator = app.me.role === 'coordinator';
  const wide = WIDE.matches;
  const [{ value: shifts, stale }, { value: places }, colleagues] = await Promise.all([
    fresh(`rota-${start}`, `/shifts?from=${start}&to=${addDays(start, 6)}`),
    locations(),
    coordinator && wide && navigator.onLine ? api('GET', '/users').catch(() => []) : [],
  ]);
  const now = Date.now();
  const move = (delta) => () => { weekOffset += delta; app.redraw(); };
  const needed = h('input', {
    id: 'rota-needed', type: 'checkbox', checked: neededOnly,
    on: { change: () => { neededOnly = needed.checked; app.redraw(); } },
  });
  main.append(h('h1', {}, t('rota.title')),
    h('div', { class: 'row week-nav' },
      h('button', { on: { click: move(-1) }, 'aria-label': t('rota.previous') }, '‹'),
      h('span', { class: 'grow week-label', id: 'rota-week' }, weekLabel(start)),
      h('button', { on: { click: move(1) }, 'aria-label': t('rota.next') }, '›')),
    h('p', {}, h('label', { class: 'inline' }, needed, ` ${t('rota.needed_filter')}`)));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  const shown = neededOnly ? shifts.filter((s) => needsMe(s, app.me.id, now)) : shifts;
  if (shown.length === 0) main.append(h('p', {}, t(neededOnly && shifts.length ? 'rota.needed_none' : 'rota.none')));
  const ctx = { app, places, now, coordinator, colleagues: colleagues.filter((u) => u.active && ['coordinator', 'casemanager', 'peer'].includes(u.role)) };
  if (wide) main.append(weekGrid(start, shown, ctx));
  else for (const shift of shown) main.append(shiftCard(shift, ctx, true));
  if (coordinator) await planning(main, app, start, places);
}

/** The week as a grid: a column a day, each with its shifts. */
function weekGrid(start, shifts, ctx) {
  const days = t('rota.days').split(',');
  return h('div', { class: 'week-grid', id: 'rota-grid' }, days.map((name, i) => {
    const day = addDays(start, i);
    const today = day === localDate();
    return h('section', { class: `week-day${today ? ' today' : ''}`, dataset: { day } },
      h('h2', {}, `${name} ${dayMonth(day)}`),
      shifts.filter((s) => localDate(new Date(s.starts_at)) === day).map((s) => shiftCard(s, ctx, false)));
  }));
}

/** "3 ingeroosterd (min. 2)", and how many are still needed. */
function staffing(shift) {
  const missing = shift.min_staff - shift.staff.length;
  const text = t('rota.planned', { n: shift.staff.length, min: shift.min_staff });
  return h('p', { class: `staffing ${missing > 0 ? 'error' : 'good'}` },
    missing > 0 ? `${text} · ${t('rota.missing', { n: missing })}` : text);
}

/** One shift: when and where, who is on it, and what she (or the coordinator) can do. */
function shiftCard(shift, { app, places, now, coordinator, colleagues }, withDay) {
  const lang = language();
  const place = places.find((p) => p.id === shift.location_id)?.name ?? '';
  const mine = shift.staff.some((s) => s.user_id === app.me.id);
  const ahead = new Date(shift.starts_at).getTime() > now;
  const when = withDay ? formatDateTime(shift.starts_at, lang) : formatTime(shift.starts_at, lang);
  const card = h('section', { class: 'card shift', dataset: { shift: String(shift.id) } },
    h('h3', {}, `${when}–${formatTime(shift.ends_at, lang)} · ${place}`));
  if (shift.cancelled_at) {
    card.append(h('p', { class: 'error' }, t('rota.cancelled')));
    return card;
  }
  const assigning = coordinator && ahead && colleagues.length > 0;
  card.append(h('ul', { class: 'staff' }, shift.staff.length === 0 ? h('li', { class: 'meta' }, t('rota.nobody'))
    : shift.staff.map((s) => h('li', {}, h('span', {}, s.display_name), assigning ? h('button', {
      class: 'link', 'aria-label': t('rota.unassign', { name: s.display_name }),
      on: { click: () => change(app, () => api('DELETE', `/shifts/${shift.id}/staff/${s.user_id}`)) },
    }, '×') : null))), staffing(shift));
  if (ahead) {
    card.append(h('button', {
      class: mine ? '' : 'primary',
      on: { click: () => change(app, () => api(mine ? 'DELETE' : 'POST', `/shifts/${shift.id}/sign-up`, mine ? undefined : {}),
        () => t(mine ? 'rota.withdrawn_toast' : 'rota.signed_up_toast', { when: formatDateTime(shift.starts_at, lang), place })) },
    }, t(mine ? 'rota.withdraw' : 'rota.sign_up')));
  }
  if (assigning) {
    const free = colleagues.filter((u) => !shift.staff.some((s) => s.user_id === u.id));
    if (free.length) {
      const who = h('select', { 'aria-label': t('rota.assign_who') },
        free.map((u) => h('option', { value: String(u.id) }, u.display_name)));
      card.append(h('div', { class: 'row assign' }, who, h('button', {
        on: { click: () => change(app, () => api('POST', `/shifts/${shift.id}/staff`, { user_id: Number(who.value) }),
          () => t('rota.assigned_toast', { name: who.selectedOptions[0]?.textContent ?? '' })) },
      }, t('rota.assign'))));
    }
  }
  if (coordinator && ahead) {
    card.append(h('button', {
      class: 'danger',
      on: { click: () => confirm(t('rota.cancel_confirm')) && change(app, () => api('POST', `/shifts/${shift.id}/cancel`, {})) },
    }, t('rota.cancel')));
  }
  return card;
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
