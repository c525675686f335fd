// The team's tools on a client's page: flex expenses, time-out stays, a warm handover,
// and for the coordinator her data rights (export, erasure). What was read is kept for
// offline reading; each change is one request whose answer matters, so online only.

import { api } from '../api.js';
import { fresh } from '../data.js';
import { formatDate, formatEuro, h, localDate } from '../dom.js';
import { errorText, language, t } from '../i18n.js';
import { changeForm, field } from '../online_forms.js';
import { currentOf } from './client_casemanagers.js';

const CATEGORIES = ['clothing', 'sleeping_gear', 'food', 'transport', 'phone', 'housing', 'documents', 'other'];

/** A card with a form that posts `body()` to `path`, then redraws or says why not. */
function form(app, id, title, fields, submit, path, body) {
  return changeForm({ id, title, fields, submit, run: async () => {
    await api('POST', path, body());
    app.redraw();
  } });
}

export async function clientTools(main, app, client, casemanagers, colleagues) {
  const coordinator = app.me.role === 'coordinator';
  const lang = language();
  const year = Number(localDate().slice(0, 4));
  const [{ value: expenses }, { value: stays }] = await Promise.all([
    fresh(`client-${client.id}-expenses-${year}`, `/clients/${client.id}/flex-expenses?year=${year}`),
    fresh(`client-${client.id}-stays`, `/clients/${client.id}/timeout-stays`),
  ]);

  const amount = h('input', { id: 'expense-amount', type: 'number', min: '0.01', step: '0.01', required: true });
  const category = h('select', { id: 'expense-category' },
    CATEGORIES.map((c) => h('option', { value: c }, t(`expense.${c}`))));
  const description = h('input', { id: 'expense-description', maxlength: 200, required: true });
  main.append(h('h2', {}, t('tools.expenses', { year })),
    expenses.length
      ? h('ul', { class: 'list' }, expenses.map((e) => h('li', {},
        `${formatDate(e.spent_on, lang)} · ${formatEuro(e.amount_cents)} · ${t(`expense.${e.category}`)}`, h('div', { class: 'meta' }, e.description))))
      : h('p', {}, t('client.none')),
    form(app, 'expense', t('tools.expense_new'), [
      ...field('expense-amount', t('tools.amount'), amount),
      ...field('expense-category', t('tools.category'), category),
      ...field('expense-description', t('tools.description'), description),
    ], t('settings.save'), `/clients/${client.id}/flex-expenses`, () => ({
      amount_cents: Math.round(Number(amount.value) * 100), category: category.value, description: description.value,
    })));

  const from = h('input', { id: 'stay-from', type: 'date', required: true });
  const until = h('input', { id: 'stay-until', type: 'date', required: true });
  main.append(h('h2', {}, t('tools.stays')),
    stays.length
      ? h('ul', { class: 'list' }, stays.map((s) => h('li', {}, `${formatDate(s.starts_on, lang)} – ${formatDate(s.ends_on, lang)} · ${s.place}`)))
      : h('p', {}, t('client.none')),
    form(app, 'stay', t('tools.stay_new'), [
      ...field('stay-from', t('tools.from'), from),
      ...field('stay-until', t('tools.until'), until),
    ], t('settings.save'), `/clients/${client.id}/timeout-stays`, () => ({ starts_on: from.value, ends_on: until.value })));

  if (!coordinator) return;
  // Hand over to an active casemanager of the team who is not on her file already; with
  // more than one casemanager now, from the one chosen.
  const current = currentOf(casemanagers);
  const others = colleagues.filter((u) => u.role === 'casemanager' && !current.some((c) => c.user_id === u.id));
  const giver = h('select', { id: 'handover-from' }, current.map((c) => h('option', { value: String(c.user_id) }, c.display_name)));
  const to = h('select', { id: 'handover-to' }, others.map((u) => h('option', { value: String(u.id) }, u.display_name)));
  const overlap = h('input', { id: 'handover-until', type: 'date', required: true });
  const note = h('textarea', { id: 'handover-note', rows: '3', maxlength: '2000', required: true });
  main.append(form(app, 'handover', t('tools.handover_new'), [
    ...(current.length > 1 ? field('handover-from', t('tools.handover_from'), giver) : []),
    ...field('handover-to', t('tools.handover_to'), to),
    ...field('handover-until', t('tools.handover_until'), overlap),
    ...field('handover-note', t('tools.handover_note'), note),
  ], t('tools.handover_submit'), `/clients/${client.id}/handover`, () => ({
    to_user_id: Number(to.value), overlap_until: overlap.value, note: note.value,
    ...(current.length > 1 ? { from_user_id: Number(giver.value) } : {}),
  })));

  const rights = h('section', { class: 'card', id: 'data-rights' }, h('h2', {}, t('tools.rights')),
    h('p', {}, h('a', { href: `/api/v1/clients/${client.id}/export`, download: '' }, t('tools.export_json')), ' · ',
      h('a', { href: `/api/v1/clients/${client.id}/export.csv`, download: '' }, t('tools.export_csv'))));
  if (client.caseload_status === 'closed') {
    rights.append(h('button', { class: 'danger', on: { click: async () => {
      const code = prompt(t('tools.erase_confirm', { code: client.code }));
      if (code === null) return;
      try {
        await api('POST', `/clients/${client.id}/erase`, { confirm_code: code });
        app.navigate('#/clienten/gesloten');
      } catch (error) {
        app.toast(errorText(error));
      }
    } } }, t('tools.erase')));
  }
  main.append(rights);
}
