// Signals as the screens share them: the kinds in the order the form offers them, the
// team's indicator checklist and tonight's warnings (both kept for offline use), and one
// signal told in a few lines (Vanavond's warnings, Signalen, her page).

import { fresh } from './data.js';
import { formatDateTime, h } from './dom.js';
import { t } from './i18n.js';

export const KINDS = ['new_face', 'violence', 'dangerous_customer', 'trafficking', 'health_concern', 'other_trend'];

/** The kinds for which the signal can warn everyone on shift now. */
export const WARNS = ['violence', 'dangerous_customer'];

/** A screen's title with the "Signaal" button beside it: one tap to the form. */
export function titleWithSignal(title, from) {
  return h('div', { class: 'title-row' }, h('h1', {}, title),
    h('a', { class: 'button signal', id: 'signal-open', href: `#/signaal/${from}` }, t('signal.open')));
}

/** The team's checklist of trafficking indicators, the retired ones left out. */
export const indicators = () => fresh('signal-indicators', '/signal-indicators');

/** Tonight's warnings of the team, newest first, as the server counts them to tonight. */
export const warnings = () => fresh('signal-warnings', '/signals/warnings');

/**
 * What a signal says, as a heading and lines: its kind, when and where, about whom (her
 * alias when the phone knows her, or the description of an unknown woman), its text and
 * ticked indicators. `places` and `clients` are the lists the phone has.
 */
export function signalLines(signal, { places = [], clients = [], lang }) {
  const place = places.find((p) => p.id === signal.location_id)?.name;
  const alias = signal.client_id ? clients.find((c) => c.id === signal.client_id)?.alias : null;
  return [
    h('strong', {}, t(`signal_kind.${signal.kind}`)),
    h('div', { class: 'meta' }, [formatDateTime(signal.occurred_at, lang), place].filter(Boolean).join(' · ')),
    alias ? h('div', {}, t('signal.about', { alias })) : null,
    signal.description ? h('div', {}, t('signal.described', { description: signal.description })) : null,
    signal.text ? h('div', { class: 'note' }, signal.text) : null,
    signal.indicators?.length ? h('ul', { class: 'indicators' }, signal.indicators.map((i) => h('li', {}, i.label))) : null,
  ].filter(Boolean);
}
