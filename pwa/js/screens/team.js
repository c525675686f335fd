// Team: the coordinator's overview of the team's tools: clients out of view or without a
// casemanager, registrations that expire soon, plans overdue for review and actions past
// their due date, the year's flex budget and time-out stays against the plan with
// Beschermd Wonen Licht against its weeks (team_stays.js), with CSV downloads, and the way
// to the partner organisations (partners.js). The coordinator sets the year's flex budget
// here, and each colleague's contracted hours (team_hours.js).

import { api } from '../api.js';
import { teamClients } from '../data.js';
import { formatDate, formatEuro, h, localDate } from '../dom.js';
import { errorText, language, t } from '../i18n.js';
import { hoursCard } from './team_hours.js';
import { staysCard } from './team_stays.js';

export async function showTeam(main, app) {
  const year = Number(localDate().slice(0, 4));
  const [{ value: clients }, registrations, plans, budget, expenses, stays, weeks, users] = await Promise.all([
    teamClients(),
    api('GET', '/registrations?within_days=60&expiring_only=true'),
    api('GET', '/plans/overdue'),
    api('GET', `/flex-budget/${year}`),
    api('GET', `/flex-expenses?year=${year}`),
    api('GET', `/timeout-stays?year=${year}`),
    api('GET', `/sheltered-housing-budget/${year}`),
    api('GET', '/users'),
  ]);
  main.append(h('h1', {}, t('team.title')),
    h('p', {}, h('a', { href: '#/import', id: 'import-link' }, t('import.link'))));

  const open = clients.filter((c) => c.caseload_status !== 'closed');
  if (open.some((c) => 'out_of_view' in c)) {
    main.append(h('section', { class: 'card', id: 'in-view' }, h('h2', {}, t('team.in_view')),
      h('p', { class: 'links' },
        h('a', { href: '#/clienten/buiten-beeld' }, t('team.out_of_view', { n: open.filter((c) => c.out_of_view).length })),
        h('a', { href: '#/clienten/zonder-casemanager' },
          t('team.no_casemanager', { n: open.filter((c) => c.casemanager_count === 0).length })))));
  }

  const expiring = registrations.registrations;
  main.append(h('section', { class: 'card', id: 'registrations' }, h('h2', {}, t('team.registrations')),
    expiring.length === 0 ? h('p', { class: 'meta' }, t('team.registrations_none'))
      : h('ul', { class: 'list' }, expiring.map((r) => h('li', {},
        h('a', { href: `#/client/${r.client_id}` }, r.alias),
        ` · ${r.registration_expires_on ? formatDate(r.registration_expires_on, language()) : '—'}`,
        h('div', { class: r.days_left < 0 ? 'error' : 'meta' },
          r.days_left < 0 ? t('team.expired') : t('team.days_left', { n: r.days_left }))))),
    h('p', {}, h('a', { href: '#/registraties' }, t('team.registrations_all')))));

  main.append(plansOverdue(plans, language()));

  main.append(h('section', { class: 'card', id: 'flex-budget' }, h('h2', {}, t('team.flex', { year })),
    h('table', { class: 'figures' }, h('tbody', {},
      h('tr', {}, h('th', { scope: 'row' }, t('team.flex_budget')), h('td', {}, budget.budget_set ? formatEuro(budget.budget_cents) : t('team.flex_unset'))),
      h('tr', {}, h('th', { scope: 'row' }, t('team.flex_spent')), h('td', {}, formatEuro(budget.spent_cents))),
      h('tr', {}, h('th', { scope: 'row' }, t('team.flex_remaining')),
        h('td', { class: budget.over_budget ? 'error' : 'good' }, formatEuro(budget.remaining_cents))))),
    budgetForm(app, year, budget),
    h('p', { class: 'meta' }, t('team.flex_count', { n: expenses.expenses.length })),
    h('p', {}, h('a', { href: `/api/v1/flex-expenses.csv?year=${year}`, download: '' }, t('team.flex_csv')))));

  main.append(staysCard(app, year, stays, weeks));
  main.append(hoursCard(app, users));

  main.append(h('section', { class: 'card' }, h('h2', {}, t('partners.title')),
    h('a', { class: 'button', href: '#/team/partners', id: 'partners-manage' }, t('partners.manage'))));
}

/** Plans overdue for review and actions past their due date, the longest overdue first. */
function plansOverdue({ reviews, actions }, lang) {
  const client = (item) => h('a', { href: `#/client/${item.client_id}` }, item.alias);
  return h('section', { class: 'card', id: 'plans-overdue' }, h('h2', {}, t('team.plans')),
    reviews.length + actions.length === 0 ? h('p', { class: 'meta' }, t('team.plans_none')) : null,
    reviews.length ? h('ul', { class: 'list', id: 'plans-review' }, reviews.map((r) => h('li', {},
      client(r), h('div', { class: 'days' }, t('team.review_due', { date: formatDate(r.review_on, lang) }))))) : null,
    actions.length ? h('ul', { class: 'list', id: 'plans-actions' }, actions.map((a) => h('li', {},
      client(a), ` · ${a.what}`,
      h('div', { class: 'days' }, t('team.action_due', { who: a.owner_name ?? a.partner_name, date: formatDate(a.due_on, lang) }))))) : null);
}

/** The year's budget in euros, set or changed. */
function budgetForm(app, year, budget) {
  const amount = h('input', {
    id: 'flex-budget-amount', type: 'number', min: '0', max: '1000000', step: '0.01', inputmode: 'decimal', required: true,
    value: budget.budget_set ? (budget.budget_cents / 100).toFixed(2) : '',
  });
  const message = h('p', { class: 'error', role: 'alert' });
  return h('form', { class: 'compact', id: 'flex-budget-form', on: { submit: async (event) => {
    event.preventDefault();
    try {
      const saved = await api('PUT', `/flex-budget/${year}`, { amount_cents: Math.round(Number(amount.value) * 100) });
      app.toast(t('team.flex_saved', { year, amount: formatEuro(saved.budget_cents) }));
      app.redraw();
    } catch (error) {
      message.textContent = errorText(error);
    }
  } } },
  h('label', { for: 'flex-budget-amount' }, t('team.flex_set', { year })),
  h('div', { class: 'row' }, amount, h('button', { type: 'submit' }, t('team.flex_save'))),
  message);
}
