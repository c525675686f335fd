// Signals about her on her page: what the team noticed about her (kind, when, where, the
// text), where the coordinator's triage stands, and to whom it was passed on. Shown to those
// the server lets read them (none, no section); read only here, triaged on Signalen.

import { formatDate, h } from '../dom.js';
import { t } from '../i18n.js';
import { signalLines } from '../signals.js';

/** Where the triage stands: its status and every hand-off, on one line. */
function course(signal, lang) {
  const handoffs = signal.handoffs.map((o) => t('signals.passed_to', {
    to: t(`signal_recipient.${o.recipient}`), when: formatDate(o.handed_at.slice(0, 10), lang),
  }));
  return [t(`signal_status.${signal.status}`), ...handoffs].join(' · ');
}

export function signalSection(signals, places, lang) {
  return h('section', { id: 'client-signals' }, h('h2', {}, t('signals.title')),
    h('ul', { class: 'list' }, signals.map((s) => h('li', { dataset: { signal: String(s.id) } },
      ...signalLines(s, { places, lang }), h('div', { class: 'meta' }, course(s, lang))))));
}
