// Stagnaties on a client's page: a stalled case escalated to the process director, with
// its timeline (reported, the agreed action, closed). Her casemanagers and the coordinator
// report one ("Stagnatie melden"); the process director answers with an action, its owner
// and a date, or closes it with an outcome. Each is one request: online only.

import { api } from '../api.js';
import { formatDate, formatDateTime, h, localDate } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, field, opener, select } from '../online_forms.js';

export const KINDS = ['housing', 'care_waiting_list', 'care_avoidance', 'safety', 'money', 'justice', 'other'];

/** One step of the timeline: when, what, and what was said. */
function step(e, lang) {
  const parts = [formatDateTime(e.at, lang), t(`stagnation_event.${e.event}`)];
  const said = e.action_owner
    ? t('stagnations.action_line', { action: e.detail ?? '', owner: e.action_owner, date: formatDate(e.action_due_on, lang) })
    : e.detail;
  return h('li', {}, parts.join(' · '), said ? h('div', { class: 'meta' }, said) : null);
}

const done = (app, key) => { app.toast(t(key)); app.redraw(); };

/** The director's "Actie afspreken" and "Afsluiten", each behind its button. */
function answerForms(app, s) {
  const path = `/stagnations/${s.id}`;
  const action = h('input', { id: `stagnation-${s.id}-action`, maxlength: 500, required: true });
  const owner = h('input', { id: `stagnation-${s.id}-owner`, maxlength: 80, required: true });
  const due = h('input', { id: `stagnation-${s.id}-due`, type: 'date', min: localDate(), required: true });
  const outcome = h('input', { id: `stagnation-${s.id}-outcome`, maxlength: 500, required: true });
  const forms = [
    [t('stagnations.answer'), changeForm({
      id: `stagnation-${s.id}-answer`, hidden: true, compact: true,
      fields: [...field(action.id, t('stagnations.action'), action), ...field(owner.id, t('stagnations.owner'), owner),
        ...field(due.id, t('stagnations.due_on'), due)],
      submit: t('stagnations.answer'),
      run: async () => {
        await api('POST', `${path}/answer`, { action: action.value, owner: owner.value, due_on: due.value });
        done(app, 'stagnations.answered_toast');
      },
    })],
    [t('stagnations.close'), changeForm({
      id: `stagnation-${s.id}-close`, hidden: true, compact: true,
      fields: field(outcome.id, t('stagnations.outcome'), outcome),
      submit: t('stagnations.close'),
      run: async () => {
        await api('POST', `${path}/close`, { outcome: outcome.value });
        done(app, 'stagnations.closed_toast');
      },
    })],
  ];
  return [h('div', { class: 'row' }, forms.map(([label, form]) => opener(label, form))), ...forms.map(([, form]) => form)];
}

/** "Stagnatie melden": what kind, and why. */
function reportForm(app, client) {
  const kind = select('stagnation-kind', KINDS.map((k) => [k, t(`stagnation_kind.${k}`)]), 'housing');
  const reason = h('textarea', { id: 'stagnation-reason', maxlength: 500, rows: 3, required: true });
  return changeForm({
    id: 'stagnation-new', title: t('stagnations.report'), hidden: true,
    fields: [...field(kind.id, t('stagnations.kind'), kind), ...field(reason.id, t('stagnations.reason'), reason)],
    submit: t('stagnations.report'),
    run: async () => {
      await api('POST', `/clients/${client.id}/stagnations`, { kind: kind.value, reason: reason.value });
      done(app, 'stagnations.reported_toast');
    },
  });
}

/** One stagnation: kind and status, the reason, the agreed action or outcome, its timeline. */
export function stagnationItem(s, lang, extra = []) {
  return h('li', { dataset: { stagnation: String(s.id) } },
    h('strong', {}, t(`stagnation_kind.${s.kind}`)), ` · ${t(`stagnation_status.${s.status}`)}`,
    h('div', {}, s.reason),
    s.agreed_action && s.status !== 'closed' ? h('div', { class: 'good' },
      t('stagnations.action_line', { action: s.agreed_action, owner: s.action_owner, date: formatDate(s.action_due_on, lang) })) : null,
    s.outcome ? h('div', { class: 'good' }, t('stagnations.outcome_line', { outcome: s.outcome })) : null,
    h('details', {}, h('summary', {}, t('stagnations.timeline')),
      h('ul', { class: 'timeline' }, s.timeline.map((e) => step(e, lang)))),
    ...extra);
}

export function stagnationSection(app, client, stagnations, role, online, lang) {
  const director = role === 'process_director';
  const editor = ['coordinator', 'casemanager'].includes(role);
  const section = h('section', { id: 'stagnations' }, h('h2', {}, t('stagnations.title')));
  section.append(stagnations.length
    ? h('ul', { class: 'list' }, stagnations.map((s) => stagnationItem(s, lang,
      director && online && s.status !== 'closed' ? answerForms(app, s) : [])))
    : h('p', {}, t('client.none')));
  if (editor && online && client.caseload_status !== 'closed') {
    const form = reportForm(app, client);
    section.append(h('p', {}, opener(t('stagnations.report'), form, { id: 'stagnation-open' })), form);
  }
  return section;
}
