// Turven's two small parts: "Mijn turven vanavond" (her own taps tonight, each deletable
// while its correction window lasts) and the optional details of the tap just made (the
// kind of contact, the services given), sent as a PATCH through the outbox, so offline too.

import { api } from '../api.js';
import { formatTime, h } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { enqueue, sentId, undo } from '../queue.js';

export const KINDS = ['visit', 'seen_at_zone', 'outreach', 'phone', 'home_visit', 'appointment'];
export const SERVICES = ['condoms', 'needle_exchange', 'information', 'sti_check', 'contraception', 'meal', 'conversation'];

/** One line of the list: when, who, what; and a delete button while it may be deleted. */
function line({ seenAt, clientId, anonymous, kind, services, waiting, remove }, byId, lang) {
  const who = clientId ? byId.get(clientId)?.alias ?? '…' : t('tally.mine_anonymous', { n: anonymous ?? 1 });
  const what = [formatTime(seenAt, lang), who, t(`contact_kind.${kind}`), ...services.map((s) => t(`service.${s}`))];
  if (waiting) what.push(t('tally.mine_waiting'));
  return h('li', { class: 'row' },
    h('span', { class: 'grow' }, what.join(' · ')),
    remove ? h('button', { class: 'danger', 'aria-label': t('tally.mine_delete_label', { who, time: formatTime(seenAt, lang) }), on: { click: remove } },
      t('tally.mine_delete')) : null);
}

/**
 * The list of her own taps tonight: the server's, those sent since it was asked, and those
 * still waiting. `refresh` asks the server again after a deletion.
 */
export function myTaps({ snapshot, waitingItems, sentSince, byId, lang, refresh, app }) {
  const from = snapshot ? new Date(snapshot.from).getTime() : 0;
  const now = Date.now();
  const tonight = (item) => item.path === '/contacts' && (item.method ?? 'POST') === 'POST'
    && new Date(item.body.seen_at).getTime() >= from;
  const deleteOnServer = (id) => async () => {
    try {
      await api('DELETE', `/contacts/${id}`);
      app.toast(t('tally.mine_deleted'));
    } catch (error) {
      app.toast(errorText(error));
    }
    await refresh();
  };
  const fromItem = (item, waiting) => ({
    seenAt: item.body.seen_at, clientId: item.body.client_id, anonymous: item.body.anonymous_count,
    kind: item.body.kind, services: item.body.services ?? [], waiting,
    remove: waiting ? async () => { await undo(item.key); await refresh(); }
      : sentId(item.key) !== undefined ? deleteOnServer(sentId(item.key)) : null,
  });
  const rows = [
    ...waitingItems.filter(tonight).map((item) => fromItem(item, true)),
    ...sentSince.filter(tonight).map((item) => fromItem(item, false)),
    ...(snapshot?.mine ?? []).map((c) => ({
      seenAt: c.seen_at, clientId: c.client_id, anonymous: c.anonymous_count, kind: c.kind, services: c.services,
      remove: new Date(c.correctable_until).getTime() > now ? deleteOnServer(c.id) : null,
    })),
  ].sort((a, b) => new Date(b.seenAt) - new Date(a.seenAt));
  return [
    h('h2', { id: 'mine-title' }, t('tally.mine_title')),
    rows.length ? h('ul', { class: 'list' }, rows.map((row) => line(row, byId, lang))) : h('p', { class: 'meta' }, t('tally.mine_none')),
  ];
}

/** Optional details of the tap with outbox key `key`: never needed, one tap each. */
export function detailsPanel(key, client, defaultKind) {
  let kind = defaultKind;
  const chosen = new Set();
  const send = () => {
    const body = { kind, services: SERVICES.filter((s) => chosen.has(s)) };
    const id = sentId(key);
    return id === undefined
      ? enqueue('/contacts/{id}', body, { method: 'PATCH', after: key })
      : enqueue(`/contacts/${id}`, body, { method: 'PATCH' });
  };
  const select = h('select', { id: 'detail-kind', on: { change: () => { kind = select.value; send(); } } },
    KINDS.map((k) => h('option', { value: k, selected: k === kind }, t(`contact_kind.${k}`))));
  const toggles = SERVICES.map((service) => {
    const button = h('button', { type: 'button', class: 'chip', 'aria-pressed': 'false', dataset: { service }, on: { click: () => {
      if (chosen.has(service)) chosen.delete(service); else chosen.add(service);
      button.setAttribute('aria-pressed', String(chosen.has(service)));
      send();
    } } }, t(`service.${service}`));
    return button;
  });
  const panel = h('section', { class: 'card details', 'aria-labelledby': 'details-title' },
    h('h2', { id: 'details-title' }, client ? t('tally.details_title', { alias: client.alias }) : t('tally.details_title_anonymous')),
    h('p', { class: 'meta' }, t('tally.details_optional')),
    h('label', { for: 'detail-kind' }, t('tally.details_kind')), select,
    h('div', { class: 'chips', role: 'group', 'aria-label': t('tally.details_services') }, toggles),
    h('button', { type: 'button', class: 'link', on: { click: () => panel.remove() } }, t('tally.details_done')));
  return panel;
}
