// Turven: the team's clients in care (own caseload and regular care) as big buttons. One tap
// records "seen" at my current shift (or the chosen location), with a few seconds to undo; a
// second tap on the same tile within 1.5 s is the same tap. The counts come from the server
// (this shift and the whole team tonight), so they survive a reload and show colleagues'
// taps; taps still in the outbox are added on top. Works offline: taps wait in the outbox
// with their own idempotency keys and the moment they happened.

import { fresh, inCare, teamClients } from '../data.js';
import { formatTime, h } from '../dom.js';
import { language, t } from '../i18n.js';
import { enqueue, flush, onChange, onSent, pending, undo } from '../queue.js';
import { titleWithSignal } from '../signals.js';
import { detailsPanel, myTaps } from './tally_mine.js';
import { locations, myCurrentShift, tonightsShifts } from './tonight.js';

/** Two taps on one tile closer together than this are one tap (a double tap, a bounce). */
const DOUBLE_TAP_MS = 1500;

/** Tonight's counts and my own contacts as the server knows them, here. */
async function tonightAt(here) {
  const query = here.shift_id ? `shift_id=${here.shift_id}` : `location_id=${here.location_id}`;
  return fresh(`tally-${query}`, `/contacts/tonight?${query}`, null).catch(() => ({ value: null, stale: true }));
}

/** Shifts going on now that I could check in to. */
function underWay(shifts) {
  const now = Date.now();
  return shifts.filter((s) => new Date(s.starts_at).getTime() <= now + 30 * 60e3 && new Date(s.ends_at).getTime() > now);
}

export async function showTally(main, app) {
  const [{ value: team, stale }, { value: shifts }, { value: places }] = await Promise.all([
    teamClients(),
    tonightsShifts(app.me),
    locations(),
  ]);
  const clients = inCare(team);
  const byId = new Map(team.map((c) => [c.id, c]));
  const shift = myCurrentShift(shifts, app.me);
  const active = places.filter((p) => p.active);
  const placeName = (id) => places.find((p) => p.id === id)?.name ?? '';
  let placeId = shift?.location_id ?? (Number(localStorage.getItem('inbeeld.place')) || undefined);
  if (!shift && !active.some((p) => p.id === placeId)) placeId = active[0]?.id;
  const here = shift ? { shift_id: shift.id } : { location_id: placeId };

  main.append(titleWithSignal(t('tally.title'), 'turven'));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  const lang = language();
  const open = shift ? [] : underWay(shifts);
  if (shift) {
    main.append(h('p', { class: 'meta' }, t('tally.at', { place: placeName(shift.location_id) })));
  } else if (open.length) {
    for (const s of open) {
      main.append(h('button', { class: 'primary big', dataset: { checkIn: String(s.id) }, on: { click: async () => {
        await enqueue(`/shifts/${s.id}/check-in`, {});
        await flush();
        app.redraw();
      } } }, t('tally.check_in_at', {
        place: placeName(s.location_id), from: formatTime(s.starts_at, lang), to: formatTime(s.ends_at, lang),
      })));
    }
  } else {
    const select = h('select', { id: 'place', on: { change: () => {
      localStorage.setItem('inbeeld.place', select.value);
      app.redraw();
    } } }, active.map((p) => h('option', { value: p.id, selected: p.id === placeId }, p.name)));
    main.append(h('label', { for: 'place' }, t('tally.location')), select);
  }

  let snapshot = (await tonightAt(here)).value;
  /** Items sent from this page since the snapshot was asked for. */
  let sentSince = [];
  let waitingItems = await pending();
  let last = null;

  const anonymous = h('button', { class: 'tally', id: 'anonymous', on: { click: () => tap(null) } });
  const search = h('input', { id: 'search', type: 'search', autocomplete: 'off', placeholder: t('tally.search') });
  const grid = h('div', { class: 'grid', id: 'clients' });
  const details = h('div', { id: 'details', 'aria-live': 'polite' });
  const mine = h('section', { id: 'mine', 'aria-labelledby': 'mine-title' });
  // The optional details of a tap come under the tiles, so the next tap stays where it was.
  main.append(anonymous, h('label', { for: 'search', class: 'visually-hidden' }, t('tally.search')), search,
    h('h2', { class: 'visually-hidden' }, t('tally.title')), grid, details, mine);

  /** Where the contact happened, as the API wants it, and what kind of contact it is. */
  function target() {
    const place = places.find((p) => p.id === (shift ? shift.location_id : placeId));
    return { ...here, kind: place?.kind === 'zone' ? 'seen_at_zone' : 'visit' };
  }

  const isHere = (body) => (shift ? body.shift_id === shift.id : !body.shift_id && body.location_id === placeId);

  /** Per client (and 'anonymous'): { here, team } from the server plus what is on its way. */
  function counts() {
    const map = new Map((snapshot?.clients ?? []).map((c) => [c.client_id, { here: c.here, team: c.team }]));
    map.set('anonymous', { ...(snapshot?.anonymous ?? { here: 0, team: 0 }) });
    const from = snapshot ? new Date(snapshot.from).getTime() : 0;
    for (const item of [...waitingItems, ...sentSince]) {
      if (item.path !== '/contacts' || (item.method ?? 'POST') !== 'POST') continue;
      if (new Date(item.body.seen_at).getTime() < from) continue;
      const id = item.body.client_id ?? 'anonymous';
      const n = item.body.anonymous_count ?? 1;
      const count = map.get(id) ?? { here: 0, team: 0 };
      count.team += n;
      if (isHere(item.body)) count.here += n;
      map.set(id, count);
    }
    return map;
  }

  function label(button, name, count, client) {
    const { here: n, team: all } = count ?? { here: 0, team: 0 };
    button.dataset.count = String(n);
    const away = client?.out_of_view;
    button.classList.toggle('out-of-view', Boolean(away));
    button.replaceChildren(...[h('span', { class: 'name' }, name),
      away ? h('span', { class: 'flag' }, t('tally.out_of_view')) : null,
      all > n ? h('span', { class: 'team-count' }, t('tally.team_count', { n: all })) : null,
      n ? h('span', { class: 'badge', 'aria-hidden': 'true' }, String(n)) : null].filter(Boolean));
    const parts = [name, away ? t('tally.out_of_view') : null, n ? t('tally.count', { n }) : null,
      all > n ? t('tally.team_count', { n: all }) : null];
    button.setAttribute('aria-label', parts.filter(Boolean).join(', '));
  }

  function draw() {
    const now = counts();
    const query = search.value.trim().toLowerCase();
    const shown = clients.filter((c) => !query || c.alias.toLowerCase().includes(query) || c.code.toLowerCase().includes(query));
    grid.replaceChildren(...shown.map((client) => {
      const button = h('button', { class: 'tally', dataset: { client: String(client.id) }, on: { click: () => tap(client) } });
      label(button, client.alias, now.get(client.id), client);
      const info = h('a', { class: 'info', href: `#/client/${client.id}`, 'aria-label': t('tally.open', { alias: client.alias }) }, 'i');
      return h('div', { class: 'tile' }, button, info);
    }));
    label(anonymous, t('tally.anonymous'), now.get('anonymous'));
    if (shown.length === 0 && query === '') grid.prepend(h('p', {}, t('tally.none')));
    mine.replaceChildren(...myTaps({ snapshot, waitingItems, sentSince, byId, lang, refresh, app }));
  }

  let refreshing = null;
  /** Asks the server again (after a send, a deletion), keeping what was sent meanwhile. */
  function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const asked = sentSince.length;
      const { value, stale: offline } = await tonightAt(here);
      if (!offline && value) {
        snapshot = value;
        sentSince = sentSince.slice(asked);
      }
      waitingItems = await pending();
      if (grid.isConnected) draw();
    })().finally(() => { refreshing = null; });
    return refreshing;
  }

  async function tap(client) {
    const id = client ? client.id : 'anonymous';
    const at = Date.now();
    if (last && last.id === id && at - last.at < DOUBLE_TAP_MS) return;
    last = { id, at };
    const body = {
      ...(client ? { client_id: client.id } : { anonymous_count: 1 }),
      ...target(),
      seen_at: new Date(at).toISOString(),
    };
    const key = await enqueue('/contacts', body);
    waitingItems = await pending();
    draw();
    details.replaceChildren(detailsPanel(key, client, body.kind));
    const message = client ? t('tally.recorded', { alias: client.alias }) : t('tally.recorded_anonymous');
    app.toast(message, {
      label: t('tally.undo'),
      run: async () => {
        if (await undo(key)) {
          sentSince = sentSince.filter((item) => item.key !== key);
          details.replaceChildren();
          await refresh();
          app.toast(t('tally.undone'));
        }
      },
    });
  }

  const stopSent = onSent((item) => {
    if (!grid.isConnected) return stopSent();
    sentSince.push(item);
    refresh();
  });
  const stopChange = onChange(async () => {
    if (!grid.isConnected) return stopChange();
    waitingItems = await pending();
    draw();
  });
  search.addEventListener('input', draw);
  draw();
}
