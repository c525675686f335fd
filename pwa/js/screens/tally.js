// Turven: the team's clients in care (own caseload and regular care) as big buttons. One tap records "seen" at my current
// shift (or the chosen location), with a few seconds to undo. Works offline: taps wait in
// the outbox with their own idempotency keys and the moment they happened.

import { inCare, teamClients } from '../data.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { enqueue, undo } from '../queue.js';
import { locations, myCurrentShift, tonightsShifts } from './tonight.js';

/** Taps made on this device tonight, per client (and 'anonymous'), by shift or place. */
const taps = new Map();

function tapCount(where, id) {
  return taps.get(`${where}:${id}`) ?? 0;
}

function addTap(where, id, delta) {
  taps.set(`${where}:${id}`, Math.max(0, tapCount(where, id) + delta));
}

export async function showTally(main, app) {
  const [{ value: team, stale }, { value: shifts }, { value: places }] = await Promise.all([
    teamClients(),
    tonightsShifts(app.me),
    locations(),
  ]);
  const clients = inCare(team);
  const shift = myCurrentShift(shifts, app.me);
  const active = places.filter((p) => p.active);
  let placeId = shift?.location_id ?? (Number(localStorage.getItem('inbeeld.place')) || undefined);
  if (!shift && !active.some((p) => p.id === placeId)) placeId = active[0]?.id;
  const where = () => (shift ? `shift-${shift.id}` : `place-${placeId}`);

  main.append(h('h1', {}, t('tally.title')));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  if (shift) {
    main.append(h('p', { class: 'meta' }, t('tally.at', { place: active.find((p) => p.id === shift.location_id)?.name ?? '' })));
  } else {
    const select = h('select', { id: 'place', on: { change: () => {
      placeId = Number(select.value);
      localStorage.setItem('inbeeld.place', String(placeId));
      app.redraw();
    } } }, active.map((p) => h('option', { value: p.id, selected: p.id === placeId }, p.name)));
    main.append(h('label', { for: 'place' }, t('tally.location')), select);
  }

  const search = h('input', { id: 'search', type: 'search', autocomplete: 'off', placeholder: t('tally.search') });
  const grid = h('div', { class: 'grid', id: 'clients' });
  const anonymous = h('button', { class: 'tally', id: 'anonymous', on: { click: () => tap(null) } });
  main.append(h('label', { for: 'search', class: 'visually-hidden' }, t('tally.search')), search,
    h('h2', { class: 'visually-hidden' }, t('tally.title')), grid);

  /** Where the contact happened, as the API wants it, and what kind of contact it is. */
  function target() {
    const place = places.find((p) => p.id === (shift ? shift.location_id : placeId));
    return {
      ...(shift ? { shift_id: shift.id } : { location_id: placeId }),
      kind: place?.kind === 'zone' ? 'seen_at_zone' : 'visit',
    };
  }

  function label(button, name, id) {
    const n = tapCount(where(), id);
    button.dataset.count = String(n);
    button.replaceChildren(name, ...(n ? [' ', h('span', { class: 'badge', 'aria-hidden': 'true' }, String(n))] : []));
    button.setAttribute('aria-label', n ? `${name}, ${t('tally.count', { n })}` : name);
  }

  function draw() {
    const query = search.value.trim().toLowerCase();
    const shown = clients.filter((c) => !query || c.alias.toLowerCase().includes(query) || c.code.toLowerCase().includes(query));
    grid.replaceChildren(...shown.map((client) => {
      const button = h('button', { class: 'tally', dataset: { client: String(client.id) }, on: { click: () => tap(client) } });
      label(button, client.alias, client.id);
      const info = h('a', { class: 'info', href: `#/client/${client.id}`, 'aria-label': t('tally.open', { alias: client.alias }) }, 'i');
      return h('div', { class: 'tile' }, button, info);
    }), anonymous);
    label(anonymous, t('tally.anonymous'), 'anonymous');
    if (shown.length === 0 && query === '') grid.prepend(h('p', {}, t('tally.none')));
  }

  async function tap(client) {
    const id = client ? client.id : 'anonymous';
    const body = {
      ...(client ? { client_id: client.id } : { anonymous_count: 1 }),
      ...target(),
      seen_at: new Date().toISOString(),
    };
    const place = where();
    const key = await enqueue('/contacts', body);
    addTap(place, id, 1);
    draw();
    const message = client ? t('tally.recorded', { alias: client.alias }) : t('tally.recorded_anonymous');
    app.toast(message, {
      label: t('tally.undo'),
      run: async () => {
        if (await undo(key)) {
          addTap(place, id, -1);
          draw();
          app.toast(t('tally.undone'));
        }
      },
    });
  }

  search.addEventListener('input', draw);
  draw();
}
