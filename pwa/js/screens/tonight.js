// Vanavond: tonight's warnings of the team first (a violent or dangerous customer at the
// zone: what, when, where), then the women out of view ("Let op vanavond"), then my shifts
// tonight, check in and out (queued, so it works offline too); and the "Signaal" button.

import { api } from '../api.js';
import { fresh, inCare, teamClients } from '../data.js';
import { addDays, formatDate, formatDateTime, formatTime, h, localDate } from '../dom.js';
import { errorText, language, t } from '../i18n.js';
import { enqueue, flush } from '../queue.js';
import { signalLines, titleWithSignal, warnings } from '../signals.js';
import { all } from '../store.js';

/**
 * Tonight's shifts (starting today, or yesterday and not yet over), as the server knows
 * them plus my check-ins and -outs still waiting in the outbox, in the order I made them.
 */
export async function tonightsShifts(me) {
  const today = localDate();
  const result = await fresh('tonight', `/shifts?from=${addDays(today, -1)}&to=${today}`);
  const now = Date.now();
  result.value = result.value.filter((shift) => new Date(shift.ends_at).getTime() > now - 2 * 3600e3
    && new Date(shift.starts_at).getTime() < now + 18 * 3600e3);
  const pending = (await all('outbox')).sort((a, b) => a.created - b.created);
  for (const item of pending) {
    const match = item.path.match(/^\/shifts\/(\d+)\/(check-in|check-out)$/);
    const shift = match && result.value.find((s) => s.id === Number(match[1]));
    if (!shift) continue;
    let mine = shift.staff.find((s) => s.user_id === me.id);
    if (!mine) {
      mine = { user_id: me.id, display_name: me.display_name, checked_in_at: null, checked_out_at: null };
      shift.staff.push(mine);
    }
    const at = new Date(item.created).toISOString();
    if (match[2] === 'check-in') {
      mine.checked_in_at = at;
      mine.checked_out_at = null;
    } else {
      mine.checked_out_at = at;
    }
  }
  return result;
}

export const locations = () => fresh('locations', '/locations');

/** The shift I am checked in to now, if any. */
export function myCurrentShift(shifts, me) {
  return shifts.find((shift) => shift.staff.some((s) => s.user_id === me.id && s.checked_in_at && !s.checked_out_at));
}

/** "Let op vanavond": the women out of view, longest unseen first, linked to their page. */
function attention(clients, lang) {
  const away = inCare(clients).filter((c) => c.out_of_view)
    .sort((a, b) => (a.last_contact_at ?? '').localeCompare(b.last_contact_at ?? ''));
  if (!away.length) return null;
  return h('section', { class: 'card attention', id: 'attention', 'aria-labelledby': 'attention-title' },
    h('h2', { id: 'attention-title' }, t('tonight.attention')),
    h('ul', { class: 'list' }, away.map((c) => h('li', {}, h('a', { href: `#/client/${c.id}` }, c.last_contact_at
      ? t('tonight.attention_seen', { alias: c.alias, when: formatDate(localDate(new Date(c.last_contact_at)), lang) })
      : t('tonight.attention_never', { alias: c.alias }))))));
}

/**
 * Tonight's warnings, newest first, for as long as the server counts them to tonight;
 * offline, the copy last fetched.
 */
function warningList(signals, places, clients, lang) {
  if (!signals.length) return null;
  return h('section', { class: 'card alarm', id: 'warnings', 'aria-labelledby': 'warnings-title' },
    h('h2', { id: 'warnings-title' }, t('tonight.warnings')),
    h('ul', { class: 'list' }, signals.map((s) => h('li', { dataset: { signal: String(s.id) } },
      signalLines(s, { places, clients, lang })))));
}

export async function showTonight(main, app) {
  const [{ value: shifts, stale }, { value: places }, { value: clients }, { value: warned }] = await Promise.all([
    tonightsShifts(app.me), locations(), teamClients(), warnings()]);
  const placeName = (id) => places.find((p) => p.id === id)?.name ?? '';
  main.append(titleWithSignal(t('tonight.title'), 'vanavond'));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  const alarm = warningList(warned, places, clients, language());
  if (alarm) main.append(alarm);
  const watch = attention(clients, language());
  if (watch) main.append(watch);
  if (shifts.length === 0) {
    main.append(h('p', {}, t('tonight.none')));
    return;
  }
  for (const shift of shifts) {
    const mine = shift.staff.find((s) => s.user_id === app.me.id);
    const lang = language();
    const card = h('section', { class: 'card', 'aria-label': placeName(shift.location_id) },
      h('h2', {}, `${placeName(shift.location_id)} · ${formatTime(shift.starts_at, lang)}–${formatTime(shift.ends_at, lang)}`),
      h('p', { class: 'meta' }, t('tonight.staff', { names: shift.staff.map((s) => s.display_name).join(', ') || '—' })));
    if (mine?.checked_in_at) card.append(h('p', { class: 'good' }, t('tonight.checked_in', { time: formatTime(mine.checked_in_at, lang) })));
    if (mine?.checked_out_at) card.append(h('p', {}, t('tonight.checked_out', { time: formatTime(mine.checked_out_at, lang) })));
    const checkedIn = mine?.checked_in_at && !mine.checked_out_at;
    const action = checkedIn ? 'check-out' : 'check-in';
    card.append(h('button', {
      class: 'primary',
      on: { click: () => record(app, shift, action) },
    }, t(checkedIn ? 'tonight.check_out' : 'tonight.check_in')));
    if (!stale) card.append(await handover(app, shift, Boolean(mine)));
    main.append(card);
  }
}

/** The note the previous shift here left, and (for its staff) this shift's own note. */
async function handover(app, shift, onShift) {
  const lang = language();
  const box = h('div', { class: 'handover' });
  const notes = await api('GET', `/shifts/${shift.id}/handover`).catch(() => null);
  if (!notes) return box;
  box.append(h('h3', {}, t('tonight.handover')));
  if (notes.previous) {
    box.append(h('p', { class: 'note' }, notes.previous.note),
      h('p', { class: 'meta' }, t('tonight.handover_by', {
        name: notes.previous.written_by, time: formatDateTime(notes.previous.written_at, lang),
      })));
  } else {
    box.append(h('p', { class: 'meta' }, t('tonight.handover_none')));
  }
  if (!onShift && app.me.role !== 'coordinator') return box;
  const field = `handover-${shift.id}`;
  const text = h('textarea', { id: field, rows: '3', maxlength: '2000' }, notes.own?.note ?? '');
  box.append(h('form', { on: { submit: async (event) => {
    event.preventDefault();
    try {
      await api('PUT', `/shifts/${shift.id}/handover`, { note: text.value });
      app.toast(t('tonight.handover_saved'));
    } catch (error) {
      app.toast(errorText(error));
    }
  } } },
  h('label', { for: field }, t('tonight.handover_own')), text,
  h('button', { type: 'submit' }, t('tonight.handover_save'))));
  return box;
}

/** Queues a check-in or -out; the screen shows it at once, the server confirms when online. */
async function record(app, shift, action) {
  await enqueue(`/shifts/${shift.id}/${action}`, {});
  // Online, let it arrive first so the redrawn list comes back with it.
  await flush();
  if (!navigator.onLine) app.toast(t('tonight.queued'));
  app.redraw();
}
