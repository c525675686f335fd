// A client's registration for the zone as a history of events (applied, granted, refused,
// expired, renewed, ended), newest first; her current registration follows from it on the
// server. The coordinator and casemanagers add an event, and take the latest back within
// a day when the server says they may (`can_undo`).

import { api } from '../api.js';
import { formatDate, formatDateTime, h, localDate } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, field, opener, select } from '../online_forms.js';

const KINDS = ['applied', 'granted', 'refused', 'renewed', 'expired', 'ended'];
/** Kinds that carry an expiry date (and, for a grant, a number). */
const DATED = ['granted', 'renewed'];

function eventLine(event, lang) {
  const parts = [formatDate(event.on, lang), t(`registration_event.${event.kind}`)];
  if (event.number) parts.push(t('registration.number_short', { number: event.number }));
  if (event.expires_on) parts.push(t('registration.valid_until', { date: formatDate(event.expires_on, lang) }));
  return parts.join(' · ');
}

export function registrationSection(app, client, events, editor, lang) {
  const section = h('section', { id: 'registration-history' }, h('h2', {}, t('registration.title')));
  if (events.length === 0) section.append(h('p', {}, t('registration.none_yet')));
  const latest = events[0];
  section.append(h('ul', { class: 'list' }, events.map((event) => h('li', {},
    eventLine(event, lang),
    h('div', { class: 'meta' }, t('registration.recorded', {
      name: event.recorded_by_display_name, when: formatDateTime(event.recorded_at, lang),
    }))))));
  if (!editor) return section;
  if (latest?.can_undo) {
    section.append(changeForm({
      id: 'registration-undo', compact: true,
      submit: t('registration.undo'),
      confirm: () => t('registration.undo_confirm', { event: eventLine(latest, lang) }),
      yes: t('registration.undo_yes'),
      run: async () => {
        await api('DELETE', `/clients/${client.id}/registration-events/${latest.id}`);
        app.toast(t('registration.undone'));
        app.redraw();
      },
    }));
  }
  const form = eventForm(app, client);
  section.append(h('p', {}, opener(t('registration.update'), form, { id: 'registration-open' })), form);
  return section;
}

/** Registratie bijwerken: what happened, when, and for a grant or renewal until when. */
function eventForm(app, client) {
  const today = localDate();
  const kind = select('registration-kind', KINDS.map((k) => [k, t(`registration_event.${k}`)]), 'applied');
  const on = h('input', { id: 'registration-on', type: 'date', value: today, max: today, required: true });
  const number = h('input', { id: 'registration-number', maxlength: '40', autocomplete: 'off', value: client.registration_number ?? '' });
  const expires = h('input', { id: 'registration-expires', type: 'date' });
  const numbered = h('div', {}, ...field('registration-number', t('registration.number'), number));
  const dated = h('div', {}, ...field('registration-expires', t('registration.expires_on'), expires));
  const update = () => {
    numbered.hidden = !DATED.includes(kind.value);
    dated.hidden = !DATED.includes(kind.value);
    number.required = kind.value === 'granted';
    expires.required = DATED.includes(kind.value);
  };
  kind.addEventListener('change', update);
  update();
  return changeForm({
    id: 'registration-event',
    title: t('registration.update'),
    hidden: true,
    fields: [
      ...field('registration-kind', t('registration.kind'), kind),
      ...field('registration-on', t('registration.on'), on),
      numbered, dated,
    ],
    submit: t('registration.save'),
    run: async () => {
      const body = { kind: kind.value, on: on.value };
      if (DATED.includes(kind.value)) {
        body.expires_on = expires.value;
        if (number.value.trim()) body.number = number.value.trim();
      }
      await api('POST', `/clients/${client.id}/registration-events`, body);
      app.toast(t('registration.saved'));
      app.redraw();
    },
  });
}
