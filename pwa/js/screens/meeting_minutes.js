// The minutes of a case meeting, laid out for A4 (print, or save as PDF): when, where, who
// took part, and per item what was discussed and decided. Clients appear by their code;
// the coordinator may open an internal copy with aliases. Each opening is in the trail.

import { api } from '../api.js';
import { backLink, formatDate, formatDateTime, h } from '../dom.js';
import { language, t } from '../i18n.js';
import { decisionOwner } from './meetings.js';

export async function showMinutes(main, app, id, internal) {
  const lang = language();
  const meeting = await api('GET', `/case-meetings/${id}/minutes${internal ? '?internal=true' : ''}`);
  const subject = (item) => (item.client_id === null ? item.title
    : `${item.client_label} · ${t(`meeting_reason.${item.reason}`)}${item.title ? ` · ${item.title}` : ''}`);
  main.append(h('div', { class: 'no-print' }, backLink(`#/casusoverleg/${id}`, t('meetings.back')),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'primary', id: 'minutes-print', on: { click: () => window.print() } }, t('meetings.print')),
      app.me.role === 'coordinator'
        ? h('a', { href: internal ? `#/casusoverleg/${id}/notulen` : `#/casusoverleg/${id}/notulen/intern`, id: 'minutes-switch' },
          t(internal ? 'meetings.minutes_codes' : 'meetings.minutes_internal'))
        : null)));
  main.append(h('article', { class: 'minutes', id: 'minutes' },
    h('h1', {}, t('meetings.minutes_title', { when: formatDateTime(meeting.starts_at, lang) })),
    h('p', {}, meeting.location),
    meeting.partners.length ? h('p', {}, t('meetings.with', { partners: meeting.partners.map((p) => p.name).join(', ') })) : null,
    h('p', { class: 'meta' }, t(internal ? 'meetings.internal_note' : 'meetings.codes_note')),
    h('ol', {}, meeting.items.map((item) => h('li', {},
      h('h2', {}, subject(item)),
      h('p', {}, item.summary ?? t('meetings.no_summary')),
      item.decisions.length ? h('ul', {}, item.decisions.map((d) => h('li', {}, d.what, ' — ',
        t('meetings.decision_line', { owner: decisionOwner(d), date: formatDate(d.due_on, lang) })))) : null)))));
}
