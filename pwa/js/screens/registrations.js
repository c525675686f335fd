// Registraties: the coordinator's list of everyone in her team with a registration for
// the zone or an application, soonest expiry first, those expiring soon marked. Should the
// zone close, "Alle registraties beëindigen" ends them all at once: the confirmation names
// the number, and the server refuses (409 count_changed) when the list changed meanwhile.

import { ApiError, api } from '../api.js';
import { fresh } from '../data.js';
import { backLink, formatDate, h, localDate } from '../dom.js';
import { language, t } from '../i18n.js';
import { changeForm, field, opener } from '../online_forms.js';

/** Why the list was fetched again (the count changed under her), shown once above it. */
let notice = null;

/** Expired or expiring soon, as a mark beside her name. */
function expiryMark(r) {
  if (r.days_left === null || r.days_left === undefined) return null;
  if (r.days_left < 0) return h('span', { class: 'mark warn' }, t('registrations.expired'));
  if (r.expiring) return h('span', { class: 'mark warn' }, t('registrations.expiring', { n: r.days_left }));
  return null;
}

export async function showRegistrations(main, app) {
  const { value: list, stale } = await fresh('registrations', '/registrations', { registrations: [] });
  const lang = language();
  const registrations = list.registrations;
  main.append(backLink('#/clienten', t('clients.title')),
    h('h1', {}, t('registrations.title')));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  if (notice) main.append(h('p', { class: 'error', role: 'alert', id: 'end-all-notice' }, notice));
  notice = null;
  main.append(h('p', { class: 'meta' }, t('registrations.about', { n: registrations.length })),
    h('ul', { class: 'list', id: 'registrations' }, registrations.map((r) => h('li', {},
      h('a', { class: 'row-link', href: `#/client/${r.client_id}` },
        h('span', { class: 'row' }, h('strong', {}, r.alias), expiryMark(r)),
        h('span', { class: 'meta' }, [t(`registration.${r.registration_status}`),
          r.registration_number ? t('registration.number_short', { number: r.registration_number }) : null,
          r.registration_expires_on ? t('registration.valid_until', { date: formatDate(r.registration_expires_on, lang) }) : null]
          .filter(Boolean).join(' · ')))))));
  if (registrations.length === 0) main.append(h('p', {}, t('registrations.none')));
  if (app.me.role !== 'coordinator' || registrations.length === 0) return;

  const today = localDate();
  const on = h('input', { id: 'end-all-on', type: 'date', value: today, max: today, required: true });
  const form = changeForm({
    id: 'end-all',
    title: t('registrations.end_all'),
    hidden: true,
    danger: true,
    fields: [h('p', {}, t('registrations.end_all_about')), ...field('end-all-on', t('registrations.end_all_on'), on)],
    submit: t('registrations.end_all'),
    confirm: () => t('registrations.end_all_confirm', { n: registrations.length, date: formatDate(on.value, lang) }),
    yes: t('registrations.end_all_yes', { n: registrations.length }),
    run: async () => {
      try {
        const { ended } = await api('POST', '/registrations/end-all', { on: on.value, expected_count: registrations.length });
        app.toast(t('registrations.ended', { n: ended }));
        app.redraw();
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'count_changed') throw error;
        notice = t('registrations.count_changed');
        app.redraw();
      }
    },
  });
  main.append(h('p', {}, opener(t('registrations.end_all'), form, { id: 'end-all-open', class: 'danger' })), form);
}
