// A client's status history, newest first: intake, to regular care and back, closed (with
// the reason and note) and reopened, each with who recorded it.

import { formatDate, h } from '../dom.js';
import { t } from '../i18n.js';

export function statusHistory(entries, lang) {
  return h('section', { id: 'status-history' }, h('h2', {}, t('status_history.title')),
    entries.length === 0 ? h('p', {}, t('client.none')) : h('ul', { class: 'list' }, entries.map((entry) => h('li', {},
      [formatDate(entry.on, lang), t(`status_history.${entry.change}`),
        entry.reason ? t(`exit_reason.${entry.reason}`) : null].filter(Boolean).join(' · '),
      entry.note ? h('div', { class: 'note' }, entry.note) : null,
      entry.by_display_name ? h('div', { class: 'meta' }, t('status_history.by', { name: entry.by_display_name })) : null))));
}
