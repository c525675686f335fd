// Team: the year's time-out stays against the plan, each with how it went (or cancelled),
// and the weeks of Beschermd Wonen Licht against the year's budget, which the coordinator
// sets here as she sets the flex budget. A stay's dates can be moved (at most two weeks,
// as when it was booked). Changes are one request each: online only.

import { api } from '../api.js';
import { formatDate, formatNumber, h } from '../dom.js';
import { language, t } from '../i18n.js';
import { changeForm, field, opener, select } from '../online_forms.js';

const OUTCOMES = ['completed', 'left_early', 'ended_by_facility', 'went_on_to_care', 'other'];

/** "geannuleerd", "afloop: volgens plan", or nothing yet. */
function state(stay) {
  if (stay.cancelled) return t('stays.cancelled');
  return stay.outcome ? t('stays.outcome_is', { outcome: t(`timeout_outcome.${stay.outcome}`) }) : null;
}

/** "Data", "Afloop" and "Annuleren" for a stay that is not cancelled, each behind its button. */
function stayActions(app, stay) {
  const path = `/clients/${stay.client_id}/timeout-stays/${stay.id}`;
  const outcome = select(`stay-${stay.id}-outcome`, OUTCOMES.map((o) => [o, t(`timeout_outcome.${o}`)]), stay.outcome ?? 'completed');
  const starts = h('input', { id: `stay-${stay.id}-starts`, type: 'date', value: stay.starts_on, required: true });
  const ends = h('input', { id: `stay-${stay.id}-ends`, type: 'date', value: stay.ends_on, required: true });
  const forms = [
    [t('stays.dates'), changeForm({
      id: `stay-${stay.id}-dates-form`, hidden: true, compact: true,
      fields: [...field(starts.id, t('stays.starts_on'), starts), ...field(ends.id, t('stays.ends_on'), ends)],
      submit: t('stays.save'),
      run: async () => {
        await api('PATCH', path, { starts_on: starts.value, ends_on: ends.value });
        app.toast(t('stays.dates_saved'));
        app.redraw();
      },
    })],
    [t('stays.outcome'), changeForm({
      id: `stay-${stay.id}-outcome-form`, hidden: true, compact: true,
      fields: field(outcome.id, t('stays.outcome'), outcome),
      submit: t('stays.save'),
      run: async () => {
        await api('PATCH', path, { outcome: outcome.value });
        app.toast(t('stays.saved'));
        app.redraw();
      },
    })],
    [t('stays.cancel'), changeForm({
      id: `stay-${stay.id}-cancel`, hidden: true, compact: true, danger: true,
      submit: t('stays.cancel'),
      confirm: () => t('stays.cancel_question'), yes: t('stays.cancel'),
      run: async () => {
        await api('POST', `${path}/cancel`, {});
        app.toast(t('stays.cancelled_toast'));
        app.redraw();
      },
    })],
  ];
  return [h('div', { class: 'row' }, forms.map(([label, form]) => opener(label, form))), ...forms.map(([, form]) => form)];
}

/** The weeks of the year in whole weeks, set or changed. */
function weeksForm(app, year, weeks) {
  const input = h('input', {
    id: 'bwl-weeks', type: 'number', min: '0', max: '520', step: '1', inputmode: 'numeric', required: true,
    value: String(weeks.budget_weeks),
  });
  return changeForm({
    id: 'bwl-weeks-form', compact: true,
    fields: field(input.id, t('stays.bwl_set', { year }), input),
    submit: t('stays.bwl_save'),
    run: async () => {
      await api('PUT', `/sheltered-housing-budget/${year}`, { weeks: Number(input.value) });
      app.toast(t('stays.bwl_saved', { year, weeks: input.value }));
      app.redraw();
    },
  });
}

/** The card: time-outs against the plan, then Beschermd Wonen Licht against its weeks. */
export function staysCard(app, year, stays, weeks) {
  const lang = language();
  return h('section', { class: 'card', id: 'timeout-stays' }, h('h2', {}, t('team.stays')),
    h('p', {}, t('team.stays_count', { count: stays.count, planned: stays.planned, year })),
    h('ul', { class: 'list', id: 'stay-list' }, stays.stays.map((stay) => h('li', { dataset: { stay: String(stay.id) } },
      h('a', { href: `#/client/${stay.client_id}` }, stay.alias),
      ` · ${formatDate(stay.starts_on, lang)} – ${formatDate(stay.ends_on, lang)}`,
      state(stay) ? h('div', { class: 'meta' }, state(stay)) : null,
      ...(stay.cancelled ? [] : stayActions(app, stay))))),
    h('h3', {}, t('stays.bwl', { year })),
    h('p', { id: 'bwl-used', class: weeks.over_budget ? 'error' : '' },
      t('stays.bwl_used', { used: formatNumber(weeks.used_weeks, lang), budget: weeks.budget_weeks })),
    weeks.budget_set ? null : h('p', { class: 'meta' }, t('stays.bwl_default')),
    app.me.role === 'coordinator' ? weeksForm(app, year, weeks) : null);
}
