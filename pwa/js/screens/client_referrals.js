// Referrals and interventions on a client's page: what was asked of which partner, how
// long she waits (or waited), and how it ended; the latest request first. Her
// casemanagers and the coordinator record one, mark it started, or close it with its
// outcome; each is one request whose answer matters, so online only.

import { api } from '../api.js';
import { formatDate, h, localDate } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, field, opener, select } from '../online_forms.js';

const KINDS = ['housing_application', 'sheltered_housing', 'diagnostics', 'treatment', 'time_out',
  'exit_support', 'debt_income', 'identity_papers', 'home_region', 'other'];
const OUTCOMES = ['placed', 'completed', 'refused_by_partner', 'declined_by_client', 'dropped_out', 'withdrawn', 'other'];

/** "wacht al 50 dagen", "loopt sinds 20 nov 2026 · 40 dagen gewacht", "afgesloten 29 nov 2026: geplaatst". */
function course(r, lang) {
  if (r.ended_on) return t('referrals.ended', { date: formatDate(r.ended_on, lang), outcome: t(`referral_outcome.${r.outcome}`) });
  const days = t(r.waiting_days === 1 ? 'referrals.day' : 'referrals.days', { n: r.waiting_days });
  if (r.started_on) return t('referrals.running', { date: formatDate(r.started_on, lang), days });
  return t('referrals.waiting', { days, date: formatDate(r.requested_on, lang) });
}

const dateInput = (id) => h('input', { id, type: 'date', value: localDate(), max: localDate(), required: true });

/** "Gestart" and "Afsluiten" for a referral that has not ended, each folded behind its button. */
function progress(app, client, r) {
  const path = `/clients/${client.id}/referrals/${r.id}`;
  const done = (key) => async (body) => {
    await api('PATCH', path, body);
    app.toast(t(key));
    app.redraw();
  };
  const forms = [];
  if (!r.started_on) {
    const on = dateInput(`referral-${r.id}-start`);
    forms.push([t('referrals.start'), changeForm({
      id: `referral-${r.id}-started`, hidden: true, compact: true,
      fields: field(on.id, t('referrals.started_on'), on),
      submit: t('referrals.start'),
      run: () => done('referrals.started_toast')({ started_on: on.value }),
    })]);
  }
  const on = dateInput(`referral-${r.id}-end`);
  const outcome = select(`referral-${r.id}-outcome`, OUTCOMES.map((o) => [o, t(`referral_outcome.${o}`)]), 'placed');
  const note = h('input', { id: `referral-${r.id}-note`, maxlength: 200 });
  forms.push([t('referrals.end'), changeForm({
    id: `referral-${r.id}-ended`, hidden: true, compact: true,
    fields: [...field(on.id, t('referrals.ended_on'), on), ...field(outcome.id, t('referrals.outcome'), outcome),
      ...field(note.id, t('referrals.note'), note)],
    submit: t('referrals.end'),
    run: () => done('referrals.ended_toast')({ ended_on: on.value, outcome: outcome.value, outcome_note: note.value.trim() || null }),
  })]);
  return [h('div', { class: 'row' }, forms.map(([label, form]) => opener(label, form))), ...forms.map(([, form]) => form)];
}

/** Nieuwe verwijzing: what, to whom, asked for when. */
function newReferral(app, client, partners) {
  const kind = select('referral-kind', KINDS.map((k) => [k, t(`referral_kind.${k}`)]), 'housing_application');
  const partner = select('referral-partner', [['', t('referrals.no_partner')],
    ...partners.filter((p) => p.active).map((p) => [String(p.id), p.name])], '');
  const requested = dateInput('referral-requested');
  return changeForm({
    id: 'referral-new', title: t('referrals.new'), hidden: true,
    fields: [...field('referral-kind', t('referrals.kind'), kind), ...field('referral-partner', t('referrals.partner'), partner),
      ...field('referral-requested', t('referrals.requested_on'), requested)],
    submit: t('referrals.save'),
    run: async () => {
      await api('POST', `/clients/${client.id}/referrals`,
        { kind: kind.value, partner_id: partner.value ? Number(partner.value) : null, requested_on: requested.value });
      app.toast(t('referrals.saved'));
      app.redraw();
    },
  });
}

export function referralSection(app, client, referrals, partners, editor, lang) {
  const section = h('section', { id: 'referrals' }, h('h2', {}, t('referrals.title')));
  section.append(referrals.length
    ? h('ul', { class: 'list' }, referrals.map((r) => h('li', { dataset: { referral: String(r.id) } },
      h('strong', {}, t(`referral_kind.${r.kind}`)), ` · ${r.partner_name ?? t('referrals.no_partner')}`,
      h('div', { class: r.waiting ? 'days' : 'meta' }, course(r, lang)),
      r.outcome_note ? h('div', { class: 'meta' }, r.outcome_note) : null,
      ...(editor && !r.ended_on ? progress(app, client, r) : []))))
    : h('p', {}, t('client.none')));
  if (editor) {
    const form = newReferral(app, client, partners ?? []);
    section.append(h('p', {}, opener(t('referrals.new'), form, { id: 'referral-open' })), form);
  }
  return section;
}
