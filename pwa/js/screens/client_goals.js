// Her goals on her page, in her own words, each with the life domains it is about and its
// actions: what, who does it (one of the team, or a partner and its contact person), by
// when. Her casemanagers and the coordinator add a goal or an action, mark a goal reached
// or dropped and an action done or dropped with one tap, and change an action (what, who,
// by when). Each goes through the outbox with its own Idempotency-Key, like a contact:
// made without a network it waits on the phone and is sent once later. A goal still
// waiting shows as such, and an action can be added under it already: the outbox sends
// the action once the goal has its id. Above the goals, the day her plan is due for
// review, which they may move. Peer workers see the goals and their open actions.

import { ApiError, api } from '../api.js';
import { formatDate, h, localDate } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, field, opener, select } from '../online_forms.js';
import { enqueue, flush, pending, refused } from '../queue.js';
import { remove } from '../store.js';
import { DOMAINS } from './client_plan.js';

/**
 * Sends a write through the outbox; says whether it was sent or waits for a network.
 * A refusal (a field left empty, ...) is thrown, to show on the form.
 */
async function send(app, path, body, options) {
  const key = await enqueue(path, body, options);
  await flush();
  if ((await pending()).some((item) => item.key === key)) {
    app.toast(t('goals.queued'));
    app.redraw();
    return key;
  }
  const refusal = (await refused()).find((item) => item.key === key);
  if (refusal) {
    await remove('failed', key);
    throw new ApiError(refusal.status, refusal.error, refusal.error);
  }
  app.toast(t('goals.saved'));
  app.redraw();
  return key;
}

/** "Anna · vóór 1 dec 2026", "Domus (Anouk) · vóór ...", with its status. */
function actionLine(a, lang) {
  const who = a.owner_name ?? `${a.partner_name} (${a.partner_contact})`;
  const when = a.status === 'open'
    ? t(a.overdue ? 'goals.overdue' : 'goals.due', { date: formatDate(a.due_on, lang) })
    : t(`action_status.${a.status}`);
  return `${who} · ${when}`;
}

/** Klaar / Vervalt / Wijzigen for an open action. */
function actionButtons(app, client, a, owners, partners) {
  const mark = (status) => h('button', { type: 'button', class: 'small', dataset: { status }, on: { click: async (event) => {
    event.target.disabled = true;
    try {
      await send(app, `/clients/${client.id}/actions/${a.id}/status`, { status });
    } catch {
      event.target.disabled = false;
      app.toast(t('goals.refused'));
    }
  } } }, t(`goals.mark_${status}`));
  const form = actionForm(app, client, `action-edit-${a.id}`, owners, partners, {
    action: a, path: `/clients/${client.id}/actions/${a.id}`, submit: t('goals.save_action'),
  });
  return [h('div', { class: 'row' }, mark('done'), mark('dropped'),
    opener(t('goals.edit_action'), form, { class: 'small', dataset: { edit: String(a.id) } })), form];
}

/** Bereikt / Vervalt for an open goal: one tap each, through the outbox. */
function goalButtons(app, client, goal) {
  const mark = (status) => h('button', { type: 'button', class: 'small', dataset: { goalStatus: status }, on: { click: async (event) => {
    event.target.disabled = true;
    try {
      await send(app, `/clients/${client.id}/goals/${goal.id}`, { status }, { method: 'PATCH' });
    } catch {
      event.target.disabled = false;
      app.toast(t('goals.refused'));
    }
  } } }, t(`goals.goal_${status}`));
  return h('div', { class: 'row' }, mark('reached'), mark('dropped'));
}

/**
 * Actie toevoegen or, given `action`, Wijzigen: what, who, by when. A new action goes to
 * `path` + "/actions" (`path` is the goal's, or names the waiting one, `after`); a change
 * is a PATCH of `path` with only what changed.
 */
function actionForm(app, client, id, owners, partners, { path, after, action, submit }) {
  const what = h('input', { id: `${id}-what`, maxlength: '200', required: true, autocomplete: 'off', value: action?.what ?? '' });
  const current = action ? (action.owner_id ? `user:${action.owner_id}` : `partner:${action.partner_id}`) : null;
  const choices = [
    ...owners.map((o) => [`user:${o.id}`, o.name]),
    ...partners.filter((p) => p.active).map((p) => [`partner:${p.id}`, p.name]),
  ];
  // The owner it has now stays a choice, even when no longer in the lists.
  if (current && !choices.some(([value]) => value === current)) choices.unshift([current, action.owner_name ?? action.partner_name]);
  const who = select(`${id}-who`, choices, current ?? (owners.length ? `user:${owners[0].id}` : ''));
  const contact = h('input', { id: `${id}-contact`, maxlength: '100', autocomplete: 'off', value: action?.partner_contact ?? '' });
  const contactLabel = h('label', { for: contact.id }, t('goals.contact'));
  const showContact = () => {
    const partner = who.value.startsWith('partner:');
    contact.hidden = !partner;
    contactLabel.hidden = !partner;
    contact.required = partner;
  };
  who.addEventListener('change', showContact);
  showContact();
  const due = h('input', { id: `${id}-due`, type: 'date', value: action?.due_on ?? localDate(), required: true });
  return changeForm({
    id, hidden: true, compact: true, queued: true,
    fields: [...field(what.id, t('goals.what'), what), ...field(who.id, t('goals.who'), who),
      contactLabel, contact, ...field(due.id, t('goals.due_on'), due)],
    submit: submit ?? t('goals.add_action'),
    run: async () => {
      const [kind, picked] = who.value.split(':');
      const owner = kind === 'partner'
        ? { partner_id: Number(picked), partner_contact: contact.value.trim() }
        : { owner_id: Number(picked) };
      if (!action) {
        await send(app, `${path}/actions`, { what: what.value.trim(), ...owner, due_on: due.value }, { after });
        what.value = '';
        return;
      }
      const body = {};
      if (what.value.trim() !== action.what) body.what = what.value.trim();
      if (who.value !== current || (kind === 'partner' && owner.partner_contact !== action.partner_contact)) Object.assign(body, owner);
      if (due.value !== action.due_on) body.due_on = due.value;
      if (Object.keys(body).length) await send(app, path, body, { method: 'PATCH' });
    },
  });
}

/** Doel toevoegen: her words and the domains it is about. */
function goalForm(app, client) {
  const text = h('textarea', { id: 'goal-text', maxlength: '300', rows: '2', required: true });
  const boxes = DOMAINS.map((domain) => h('input', { type: 'checkbox', name: 'goal-domain', value: domain }));
  const domains = h('fieldset', { class: 'choice', id: 'goal-domains' }, h('legend', {}, t('goals.domains')),
    boxes.map((box) => h('label', { class: 'inline' }, box, ` ${t(`domain.${box.value}`)}`)));
  return changeForm({
    id: 'goal-new', title: t('goals.new'), hidden: true, queued: true,
    fields: [...field('goal-text', t('goals.text'), text, t('goals.text_hint')), domains],
    submit: t('goals.save'),
    run: async () => {
      const picked = boxes.filter((box) => box.checked).map((box) => box.value);
      await send(app, `/clients/${client.id}/goals`, { text: text.value.trim(), domains: picked });
      text.value = '';
    },
  });
}

function goalItem(app, client, goal, editor, owners, partners, lang) {
  const item = h('li', { dataset: { goal: String(goal.id) } },
    h('strong', {}, goal.text),
    h('div', { class: 'meta' }, [goal.domains.map((d) => t(`domain.${d}`)).join(', '),
      goal.status === 'open' ? null : t(`goal_status.${goal.status}`)].filter(Boolean).join(' · ')),
    goal.actions.length ? h('ul', { class: 'actions' }, goal.actions.map((a) => h('li', { dataset: { action: String(a.id) } },
      a.what, h('div', { class: a.overdue ? 'days' : 'meta' }, actionLine(a, lang)),
      editor && a.status === 'open' ? actionButtons(app, client, a, owners, partners) : null))) : null);
  if (editor && goal.status === 'open') {
    const form = actionForm(app, client, `action-new-${goal.id}`, owners, partners, { path: `/clients/${client.id}/goals/${goal.id}` });
    item.append(goalButtons(app, client, goal), opener(t('goals.add_action'), form, { class: 'small' }), form);
  }
  return item;
}

/** A goal made on this phone that waits for a network, with actions to add under it. */
function waitingGoal(app, client, queued, owners, partners) {
  const form = actionForm(app, client, `action-new-${queued.key}`, owners, partners, { path: `/clients/${client.id}/goals/{id}`, after: queued.key });
  return h('li', { class: 'waiting', dataset: { waiting: queued.key } },
    h('strong', {}, queued.body.text), h('div', { class: 'meta' }, t('goals.waiting')),
    opener(t('goals.add_action'), form, { class: 'small' }), form);
}

/** Evaluatie: the day her plan is due for review, and for who edits her file a form to move it. */
function reviewPart(app, client, review, editor, lang) {
  const line = h('p', { id: 'plan-review' }, review.review_on
    ? t(review.by_hand ? 'plan_review.on_by_hand' : 'plan_review.on', { date: formatDate(review.review_on, lang) })
    : t('plan_review.none'));
  if (!editor) return [line];
  const today = localDate();
  const day = h('input', { id: 'plan-review-on', type: 'date', min: today, value: review.review_on && review.review_on >= today ? review.review_on : '', required: true });
  const save = (reviewOn) => async () => {
    await api('PUT', `/clients/${client.id}/plan-review`, { review_on: reviewOn });
    app.toast(t('plan_review.saved'));
    app.redraw();
  };
  const form = changeForm({
    id: 'plan-review-form', hidden: true, compact: true,
    fields: field(day.id, t('plan_review.day'), day),
    submit: t('plan_review.save'),
    run: () => save(day.value)(),
  });
  if (review.by_hand) {
    form.append(h('button', { type: 'button', id: 'plan-review-reset', class: 'small', on: { click: async () => {
      try {
        await save(null)();
      } catch {
        app.toast(t('common.needs_network'));
      }
    } } }, t('plan_review.reset')));
  }
  return [line, h('p', {}, opener(t('plan_review.change'), form, { class: 'small', id: 'plan-review-open' })), form];
}

/**
 * Her goals; `owners` are who of the team may own an action ({ id, name }), `queued` the
 * goals for her still in the outbox, `review` her plan's review date (or null: an older
 * server, or offline never read on this phone).
 */
export function goalSection(app, client, goals, { editor, owners, partners, queued, review }, lang) {
  const section = h('section', { id: 'goals' }, h('h2', {}, t('goals.title')));
  if (review && 'by_hand' in review) section.append(...reviewPart(app, client, review, editor, lang));
  const items = goals.map((goal) => goalItem(app, client, goal, editor, owners, partners, lang));
  if (editor) items.push(...queued.map((q) => waitingGoal(app, client, q, owners, partners)));
  section.append(items.length ? h('ul', { class: 'list goals' }, items) : h('p', {}, t('goals.none')));
  if (editor) {
    const form = goalForm(app, client);
    section.append(h('p', {}, opener(t('goals.new'), form, { id: 'goal-open' })), form);
  }
  return section;
}

/** The goals for `client` that wait in the outbox. */
export async function queuedGoals(client) {
  const path = `/clients/${client.id}/goals`;
  return (await pending()).filter((item) => item.path === path);
}
