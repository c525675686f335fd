// Cliënt: last seen, contacts, casemanagers and warm handovers, registration, open follow-ups.

import { api } from '../api.js';
import { formatDateTime, h } from '../dom.js';
import { language, t } from '../i18n.js';
import { clientTools } from './client_tools.js';

export async function showClient(main, app, id) {
  const [client, contacts, casemanagers, handovers, followups] = await Promise.all([
    api('GET', `/clients/${id}`),
    api('GET', `/clients/${id}/contacts`),
    api('GET', `/clients/${id}/casemanagers`),
    api('GET', `/clients/${id}/handovers`),
    // The process director reads her escalated clients but not the team's follow-up list.
    app.me.role === 'process_director' ? Promise.resolve([]) : api('GET', '/followups'),
  ]);
  const lang = language();
  const open = followups.filter((f) => f.client_id === client.id);
  main.append(
    h('h1', {}, client.alias),
    h('section', { class: 'card' },
      h('p', {}, `${t('client.last_seen')}: `,
        h('strong', {}, client.last_contact_at ? formatDateTime(client.last_contact_at, lang) : t('client.never'))),
      h('p', { class: 'meta' }, `${t('client.registration')}: ${client.registration_status}${client.registration_number ? ` (${client.registration_number})` : ''}`),
      h('p', { class: 'meta' }, client.code)),
    h('h2', {}, t('client.followups')),
    open.length
      ? h('ul', { class: 'list' }, open.map((f) => h('li', {}, h('a', { href: `#/opvolging/${f.id}` }, describe(f, lang)))))
      : h('p', {}, t('client.none')),
    h('h2', {}, t('client.casemanagers')),
    h('ul', { class: 'list' }, casemanagers.map((c) => h('li', {}, `${c.display_name} · ${c.from_on}${c.until_on ? ` – ${c.until_on}` : ''}`))),
    ...(handovers.length
      ? [h('h2', {}, t('client.handovers')),
        h('ul', { class: 'list' }, handovers.map((o) => h('li', {},
          t('client.handover', { from: o.from_display_name, to: o.to_display_name, until: o.overlap_until }),
          h('div', { class: 'meta' }, o.note))))]
      : []),
    h('h2', {}, t('client.visits')),
    contacts.length
      ? h('ul', { class: 'list' }, contacts.slice(0, 50).map((c) => h('li', {},
        `${formatDateTime(c.seen_at, lang)} · ${c.kind}${c.services.length ? ` · ${c.services.join(', ')}` : ''}`,
        c.note ? h('div', { class: 'meta' }, c.note) : null)))
      : h('p', {}, t('client.none')),
  );
  if (['coordinator', 'casemanager'].includes(app.me.role)) await clientTools(main, app, client, casemanagers);
}

export function describe(followup, lang) {
  if (followup.kind === 'absence') {
    return t('followups.absence', { date: formatDateTime(followup.absent_since, lang) });
  }
  if (followup.kind === 'registration_expiry') return t('followups.registration_expiry');
  return t('followups.reminder', { note: followup.note ?? '' });
}
