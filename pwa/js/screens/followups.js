// Opvolging: overdue and due follow-ups, each with how long she went unseen, her
// casemanagers and who took it on; "Mijn cliënten" narrows the list to the clients one is
// casemanager of. One follow-up: the same, its history, and acknowledge, and snooze, close
// or escalate, each form folded behind its button; set a reminder. The process director
// sees what was escalated to her here instead.

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
  const mineOnly = ['coordinator', 'casemanager'].includes(app.me.role) && onlyMine;
  const shown = mineOnly ? followups.filter((f) => isMine(f, app.me.id)) : followups;
  main.append(h('h1', {}, t('followups.title')));
  if (['coordinator', 'casemanager'].includes(app.me.role)) main.append(mineFilter(app));
  if (shown.length === 0) main.append(h('p', {}, t(mineOnly && followups.length ? 'followups.mine_none' : 'followups.none')));
  main.append(h('ul', { class: 'list', id: 'followup-list' }, shown.map((f) => h('li', { dataset: { followup: String(f.id) } },
    h('a', { href: `#/opvolging/${f.id}` }, h('strong', {}, f.alias), ` · ${describe(f, lang)}`),
    unseen(f) ? h('div', { class: 'days' }, daysUnseen(f.days_unseen)) : null,
    h('div', { class: 'meta' }, whose(f)),
    h('div', { class: 'meta' }, [status(f), f.escalation_level ? t('followups.escalated') : null].filter(Boolean).join(' · '))))));
  if (['coordinator', 'casemanager'].includes(app.me.role)) main.append(reminderForm(app, inCare(clients)));
}

/** "Mijn cliënten": kept while the app runs, so going back to the list keeps the choice. */
let onlyMine = false;

/** Addressed to me (an action I own), or about a client of mine and to her casemanagers. */
const isMine = (followup, me) => (followup.owner_id != null ? followup.owner_id === me
  : (followup.casemanagers ?? []).some((c) => c.user_id === me));

function mineFilter(app) {
  const box = h('input', {
    id: 'followups-mine', type: 'checkbox', checked: onlyMine,
    on: { change: () => { onlyMine = box.checked; app.redraw(); } },
  });
  return h('p', {}, h('label', { class: 'inline' }, box, ` ${t('followups.mine')}`));
}

/** Whether it counts days unseen; a waiting referral counts days waited, in its line. */
const unseen = (f) => f.days_unseen != null && f.kind !== 'referral_waiting';

/** "16 dagen niet gezien". */
const daysUnseen = (days) => (days === 1 ? t('followups.day_unseen') : t('followups.days_unseen', { n: days }));

/** Whom it is for: the one it is addressed to, or her casemanagers by name, or that she has none. */
const whose = (followup) => (followup.owner_name ? t('followups.for_owner', { name: followup.owner_name }) : followup.casemanagers?.length
  ? t('followups.casemanagers', { names: followup.casemanagers.map((c) => c.display_name).join(', ') })
  : t('followups.no_casemanager'));

/** Where it stands; "opgepakt door Anna" says the status and who in one. */
const status = (f) => (f.status === 'acknowledged' && f.acknowledged_by_name
  ? t('followups.taken_by', { name: f.acknowledged_by_name }) : t(`followup_status.${f.status}`));

/** What a follow-up is about, in a line. */
export function describe(followup, lang) {
  if (followup.kind === 'absence') {
    return t('followups.absence', { date: formatDateTime(followup.absent_since, lang) });
  }
  if (['registration_expiry', 'plan_action', 'plan_review', 'aftercare', 'meeting_decision'].includes(followup.kind)) {
    return t(`followups.${followup.kind}`);
  }
  if (followup.kind === 'referral_waiting') return t('followups.referral_waiting', { n: followup.days_unseen ?? '?' });
  return t('followups.reminder', { note: followup.note ?? '' });
}

/** The process director's list: what was escalated to her, why, and how it ended. */
async function showEscalations(main) {
  const escalations = await api('GET', '/escalations');
  const lang = language();
  // Titled like her menu item; the subtitle says what the list holds.
  main.append(h('h1', {}, t('followups.title')), h('p', { class: 'subtitle' }, t('escalations.to_you')));
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

/**
 * A form folded behind its button: the button opens it in its place, and the form's
 * "Annuleren" folds it again.
 */
function folded(label, form, kind = '') {
  form.hidden = true;
  const button = h('button', { type: 'button', class: kind, 'aria-expanded': 'false' }, label);
  const fold = (open) => () => {
    form.hidden = !open;
    button.hidden = open;
    button.setAttribute('aria-expanded', String(open));
    (open ? form.querySelector('input') : button).focus();
  };
  button.addEventListener('click', fold(true));
  form.append(h('button', { type: 'button', class: 'cancel', on: { click: fold(false) } }, t('common.cancel')));
  return [button, form];
}

export async function showFollowup(main, app, id) {
  const followup = await api('GET', `/followups/${id}`);
  const lang = language();
  const message = h('p', { class: 'error', role: 'alert' });
  const act = (action, body, done) => async (event) => {
    event?.preventDefault();
    try {
      await api('POST', `/followups/${id}/${action}`, body?.() ?? {});
      if (done) app.toast(t(done));
      app.redraw();
    } catch (error) {
      message.textContent = errorText(error);
    }
  };
  main.append(
    backLink('#/opvolging', t('common.back')),
    h('h1', {}, h('a', { href: `#/client/${followup.client_id}` }, followup.alias)),
    h('p', {}, describe(followup, lang)),
    unseen(followup) ? h('p', { class: 'days' }, daysUnseen(followup.days_unseen)) : '',
    h('p', { class: 'meta' }, whose(followup)),
    h('p', { class: 'meta' }, `${status(followup)} · ${t('followups.due', { date: formatDateTime(followup.due_at, lang) })}`),
    message,
  );
  const closeForm = () => {
    const outcome = h('input', { id: 'close-outcome', maxlength: 200, required: true });
    return h('form', { class: 'card', id: 'close-form', on: { submit: act('close', () => ({ outcome: outcome.value }), 'followups.closed_toast') } },
      h('label', { for: 'close-outcome' }, t('followups.outcome')), outcome,
      h('button', { type: 'submit', class: 'primary' }, t('followups.close')));
  };
  if (followup.status !== 'closed' && ['coordinator', 'casemanager'].includes(app.me.role)) {
    const until = h('input', { id: 'snooze-until', type: 'datetime-local', required: true });
    const reason = h('input', { id: 'snooze-reason', maxlength: 200, required: true });
    const actions = h('div', { class: 'followup-actions' });
    if (followup.status === 'open') {
      actions.append(h('button', { class: 'primary', on: { click: act('acknowledge', null, 'followups.taken_toast') } }, t('followups.acknowledge')));
    }
    actions.append(
      ...folded(t('followups.snooze'), h('form', { class: 'card', id: 'snooze-form', on: { submit: act('snooze', () => ({ until: until.value, reason: reason.value }), 'followups.snoozed_toast') } },
        h('label', { for: 'snooze-until' }, t('followups.snooze_until')), until,
        h('label', { for: 'snooze-reason' }, t('followups.reason')), reason,
        h('button', { type: 'submit', class: 'primary' }, t('followups.snooze')))),
      ...folded(t('followups.close'), closeForm()),
    );
    if (followup.escalation_level < 2) {
      const why = h('input', { id: 'escalate-reason', maxlength: 500, required: true });
      actions.append(...folded(t('followups.escalate'), h('form', { class: 'card', id: 'escalate-form', on: { submit: act('escalate', () => ({ reason: why.value }), 'followups.escalated_toast') } },
        h('label', { for: 'escalate-reason' }, t('followups.escalate_reason')), why,
        h('button', { type: 'submit', class: 'danger' }, t('followups.escalate'))), 'danger'));
    }
    main.append(actions);
  }
  if (followup.status !== 'closed' && app.me.role === 'process_director' && followup.escalation_level >= 2) {
    main.append(h('div', { class: 'followup-actions' }, ...folded(t('followups.close'), closeForm())));
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
    return [t('timeline.notified', { n })];
  }
  return [t(`timeline.${e.event}`), e.detail].filter(Boolean);
}
