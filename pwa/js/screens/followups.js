// Opvolging: overdue and due follow-ups; acknowledge, snooze, close, escalate; set a
// reminder. The process director sees her escalation list here instead.

import { api } from '../api.js';
import { backLink, formatDateTime, h } from '../dom.js';
import { errorText, language, t } from '../i18n.js';
import { inCare, teamClients } from '../data.js';

export async function showFollowups(main, app) {
  if (app.me.role === 'process_director') {
    await showEscalations(main);
    return;
  }
  const [followups, { value: clients }] = await Promise.all([
    api('GET', '/followups'),
    teamClients(),
  ]);
  const lang = language();
  main.append(h('h1', {}, t('followups.title')));
  if (followups.length === 0) main.append(h('p', {}, t('followups.none')));
  main.append(h('ul', { class: 'list' }, followups.map((f) => h('li', {},
    h('a', { href: `#/opvolging/${f.id}` }, h('strong', {}, f.alias), ` · ${describe(f, lang)}`),
    h('div', { class: 'meta' }, `${t(`followup_status.${f.status}`)}${f.escalation_level ? ` · ${t('followups.escalated')}` : ''}`)))));
  if (['coordinator', 'casemanager'].includes(app.me.role)) main.append(reminderForm(app, inCare(clients)));
}

/** What a follow-up is about, in a line. */
export function describe(followup, lang) {
  if (followup.kind === 'absence') {
    return t('followups.absence', { date: formatDateTime(followup.absent_since, lang) });
  }
  if (followup.kind === 'registration_expiry') return t('followups.registration_expiry');
  return t('followups.reminder', { note: followup.note ?? '' });
}

/** The process director's list: what was escalated to her, why, and how it ended. */
async function showEscalations(main) {
  const escalations = await api('GET', '/escalations');
  const lang = language();
  main.append(h('h1', {}, t('escalations.title')));
  if (escalations.length === 0) main.append(h('p', {}, t('escalations.none')));
  main.append(h('ul', { class: 'list' }, escalations.map((e) => h('li', {},
    h('a', { href: `#/opvolging/${e.id}` }, h('strong', {}, e.alias), ` · ${describe(e, lang)}`),
    h('div', { class: 'meta' }, [
      t(`followup_status.${e.status}`),
      t(e.escalated_how === 'by_hand' ? 'escalations.by_hand' : 'escalations.by_sweep'),
      e.escalated_at ? formatDateTime(e.escalated_at, lang) : null,
    ].filter(Boolean).join(' · ')),
    e.reason ? h('div', {}, t('escalations.reason', { reason: e.reason })) : null,
    e.outcome ? h('div', { class: 'good' }, t('escalations.outcome', { outcome: e.outcome })) : null))));
}

function reminderForm(app, clients) {
  const client = h('select', { id: 'reminder-client', required: true },
    clients.map((c) => h('option', { value: c.id }, c.alias)));
  const due = h('input', { id: 'reminder-due', type: 'datetime-local', required: true });
  const note = h('input', { id: 'reminder-note', maxlength: 200, required: true });
  const message = h('p', { class: 'error', role: 'alert' });
  return h('form', { class: 'card', on: { submit: async (event) => {
    event.preventDefault();
    try {
      const created = await api('POST', '/followups', { client_id: Number(client.value), due_at: due.value, note: note.value });
      app.navigate(`#/opvolging/${created.id}`);
    } catch (error) {
      message.textContent = errorText(error);
    }
  } } },
  h('h2', {}, t('followups.new')),
  h('label', { for: 'reminder-client' }, t('followups.client')), client,
  h('label', { for: 'reminder-due' }, t('followups.when')), due,
  h('label', { for: 'reminder-note' }, t('followups.note')), note,
  message,
  h('button', { class: 'primary', type: 'submit' }, t('followups.save')));
}

export async function showFollowup(main, app, id) {
  const followup = await api('GET', `/followups/${id}`);
  const lang = language();
  const message = h('p', { class: 'error', role: 'alert' });
  const act = (action, body) => async (event) => {
    event?.preventDefault();
    try {
      await api('POST', `/followups/${id}/${action}`, body?.() ?? {});
      app.redraw();
    } catch (error) {
      message.textContent = errorText(error);
    }
  };
  main.append(
    backLink('#/opvolging', t('common.back')),
    h('h1', {}, h('a', { href: `#/client/${followup.client_id}` }, followup.alias)),
    h('p', {}, describe(followup, lang)),
    h('p', { class: 'meta' }, `${t(`followup_status.${followup.status}`)} · ${t('followups.due', { date: formatDateTime(followup.due_at, lang) })}`),
    message,
  );
  if (followup.status !== 'closed' && ['coordinator', 'casemanager'].includes(app.me.role)) {
    const until = h('input', { id: 'snooze-until', type: 'datetime-local', required: true });
    const reason = h('input', { id: 'snooze-reason', maxlength: 200, required: true });
    const outcome = h('input', { id: 'close-outcome', maxlength: 200, required: true });
    if (followup.status === 'open') {
      main.append(h('p', {}, h('button', { class: 'primary', on: { click: act('acknowledge') } }, t('followups.acknowledge'))));
    }
    main.append(
      h('form', { class: 'card', on: { submit: act('snooze', () => ({ until: until.value, reason: reason.value })) } },
        h('label', { for: 'snooze-until' }, t('followups.snooze_until')), until,
        h('label', { for: 'snooze-reason' }, t('followups.reason')), reason,
        h('button', { type: 'submit' }, t('followups.snooze'))),
      h('form', { class: 'card', on: { submit: act('close', () => ({ outcome: outcome.value })) } },
        h('label', { for: 'close-outcome' }, t('followups.outcome')), outcome,
        h('button', { type: 'submit' }, t('followups.close'))),
    );
    if (followup.escalation_level < 2) {
      const why = h('input', { id: 'escalate-reason', maxlength: 500, required: true });
      main.append(h('form', { class: 'card', on: { submit: act('escalate', () => ({ reason: why.value })) } },
        h('label', { for: 'escalate-reason' }, t('followups.escalate_reason')), why,
        h('button', { type: 'submit', class: 'danger' }, t('followups.escalate'))));
    }
  }
  if (followup.status !== 'closed' && app.me.role === 'process_director' && followup.escalation_level >= 2) {
    const outcome = h('input', { id: 'close-outcome', maxlength: 200, required: true });
    main.append(h('form', { class: 'card', on: { submit: act('close', () => ({ outcome: outcome.value })) } },
      h('label', { for: 'close-outcome' }, t('followups.outcome')), outcome,
      h('button', { type: 'submit' }, t('followups.close'))));
  }
  main.append(h('h2', {}, t('followups.timeline')),
    h('ol', { class: 'list' }, (followup.timeline ?? []).map((e) => h('li', {},
      [formatDateTime(e.at, lang), ...timelineLine(e)].join(' · ')))));
}

/**
 * A step of a follow-up's history in words: the event, then what was typed with it (a
 * reason, an outcome). A notice's detail is the number of people it went to.
 */
function timelineLine(e) {
  if (e.event === 'notified') {
    const n = Number.parseInt(e.detail, 10) || 0;
    return [t('timeline.notified', { n, people: t(n === 1 ? 'timeline.notified_one' : 'timeline.notified_many') })];
  }
  return [t(`timeline.${e.event}`), e.detail].filter(Boolean);
}
