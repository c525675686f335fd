// Rooster: the week's shifts at De Loods and De Cirkel and who is on them.

import { addDays, formatDateTime, formatTime, h, localDate } from '../dom.js';
import { language, t } from '../i18n.js';
import { fresh, locations } from './tonight.js';

let weekOffset = 0;

function monday(day) {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

export async function showRota(main, app) {
  const start = addDays(monday(localDate()), 7 * weekOffset);
  const [{ value: shifts, stale }, { value: places }] = await Promise.all([
    fresh(`rota-${start}`, `/shifts?from=${start}&to=${addDays(start, 6)}`),
    locations(),
  ]);
  const lang = language();
  const move = (delta) => () => { weekOffset += delta; app.redraw(); };
  main.append(h('h1', {}, t('rota.title')),
    h('div', { class: 'row' },
      h('button', { on: { click: move(-1) } }, `‹ ${t('rota.previous')}`),
      h('span', { class: 'grow meta' }, t('rota.week', { date: start })),
      h('button', { on: { click: move(1) } }, `${t('rota.next')} ›`)));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  if (shifts.length === 0) main.append(h('p', {}, t('rota.none')));
  for (const shift of shifts) {
    const place = places.find((p) => p.id === shift.location_id)?.name ?? '';
    main.append(h('section', { class: 'card' },
      h('h2', {}, `${formatDateTime(shift.starts_at, lang)}–${formatTime(shift.ends_at, lang)} · ${place}`),
      h('p', { class: shift.staff.length ? 'meta' : 'error' },
        shift.staff.length ? shift.staff.map((s) => s.display_name).join(', ') : t('rota.nobody'))));
  }
}
