// Casusoverleg: the team's case meetings. The coordinator plans one (date, time, place,
// the partners taking part), takes over the agenda InBeeld proposes and keeps it (up,
// down, remove, a free subject); during the meeting she and the casemanagers write down
// per item what was discussed and what was decided (what, who, by when). The minutes
// print from their own view. Each change is one request: online only.

import { api } from '../api.js';
import { backLink, formatDate, formatDateTime, h, localDate } from '../dom.js';
import { language, t } from '../i18n.js';
import { changeForm, field, opener, select } from '../online_forms.js';
import { teamCasemanagers } from './intake.js';

const done = (app, key) => { app.toast(t(key)); app.redraw(); };

/** "Overleg plannen": day, time, place and the partners taking part. */
function planForm(app, partners) {
  const day = h('input', { id: 'meeting-day', type: 'date', value: localDate(), required: true });
  const time = h('input', { id: 'meeting-time', type: 'time', value: '14:00', required: true });
  const place = h('input', { id: 'meeting-location', maxlength: 120, required: true, autocomplete: 'off' });
  const boxes = partners.filter((p) => p.active).map((p) => h('input', { type: 'checkbox', value: String(p.id), name: 'meeting-partner' }));
  const fieldset = h('fieldset', { class: 'choice', id: 'meeting-partners' }, h('legend', {}, t('meetings.partners')),
    boxes.map((box, i) => h('label', { class: 'inline' }, box, ` ${partners.filter((p) => p.active)[i].name}`)));
  return changeForm({
    id: 'meeting-new', title: t('meetings.plan'), hidden: true,
    fields: [...field(day.id, t('meetings.day'), day), ...field(time.id, t('meetings.time'), time),
      ...field(place.id, t('meetings.location'), place), fieldset],
    submit: t('meetings.plan'),
    run: async () => {
      const meeting = await api('POST', '/case-meetings', {
        starts_at: `${day.value}T${time.value}`, location: place.value,
        partner_ids: boxes.filter((b) => b.checked).map((b) => Number(b.value)),
      });
      app.toast(t('meetings.planned_toast'));
      app.navigate(`#/casusoverleg/${meeting.id}`);
    },
  });
}

export async function showMeetings(main, app) {
  const lang = language();
  const coordinator = app.me.role === 'coordinator';
  const [meetings, partners] = await Promise.all([api('GET', '/case-meetings'), coordinator ? api('GET', '/partners') : []]);
  main.append(h('h1', {}, t('meetings.title')));
  if (coordinator) {
    const form = planForm(app, partners);
    main.append(h('p', {}, opener(t('meetings.plan'), form, { id: 'meeting-open' })), form);
  }
  main.append(meetings.length
    ? h('ul', { class: 'list', id: 'meeting-list' }, meetings.map((m) => h('li', {},
      h('a', { href: `#/casusoverleg/${m.id}` }, formatDateTime(m.starts_at, lang)), ` · ${m.location}`,
      m.partners.length ? h('div', { class: 'meta' }, m.partners.map((p) => p.name).join(', ')) : null)))
    : h('p', {}, t('meetings.none')));
}

/** What an item is about: her alias (a link to her page) or the subject, and why. */
function itemHeading(item) {
  const why = t(`meeting_reason.${item.reason}`);
  if (item.client_id === null) return [h('strong', {}, item.title)];
  return [h('a', { href: `#/client/${item.client_id}` }, h('strong', {}, item.client_label)), ` · ${why}`,
    item.title ? h('div', { class: 'meta' }, item.title) : null];
}

/** Who carries a decision out: a colleague, or the partner with its contact person. */
export const decisionOwner = (d) => d.owner_name ?? `${d.partner_name} (${d.partner_contact})`;

function summaryForm(app, path, item) {
  const text = h('textarea', { id: `item-${item.id}-summary`, maxlength: 2000, rows: 3, required: true }, item.summary ?? '');
  return changeForm({
    id: `item-${item.id}-summary-form`, hidden: true, compact: true,
    fields: field(text.id, t('meetings.summary'), text),
    submit: t('meetings.save'),
    run: async () => {
      await api('PUT', `${path}/summary`, { summary: text.value });
      done(app, 'meetings.saved_toast');
    },
  });
}

function decisionForm(app, path, item, owners, partners, day) {
  const what = h('input', { id: `item-${item.id}-what`, maxlength: 200, required: true, autocomplete: 'off' });
  const who = select(`item-${item.id}-owner`, [
    ...owners.map((o) => [`user:${o.id}`, o.name]),
    ...partners.filter((p) => p.active).map((p) => [`partner:${p.id}`, p.name]),
  ], `user:${owners[0].id}`);
  const contact = h('input', { id: `item-${item.id}-contact`, maxlength: 100, autocomplete: 'off', hidden: true });
  const contactLabel = h('label', { for: contact.id, hidden: true }, t('meetings.contact'));
  who.addEventListener('change', () => {
    const partner = who.value.startsWith('partner:');
    contact.hidden = !partner;
    contactLabel.hidden = !partner;
    contact.required = partner;
  });
  const due = h('input', { id: `item-${item.id}-due`, type: 'date', min: day, required: true });
  return changeForm({
    id: `item-${item.id}-decision`, hidden: true, compact: true,
    fields: [...field(what.id, t('meetings.what'), what), ...field(who.id, t('meetings.owner'), who),
      contactLabel, contact, ...field(due.id, t('meetings.due_on'), due)],
    submit: t('meetings.decide'),
    run: async () => {
      const [kind, id] = who.value.split(':');
      const body = kind === 'partner'
        ? { what: what.value, partner_id: Number(id), partner_contact: contact.value, due_on: due.value }
        : { what: what.value, owner_id: Number(id), due_on: due.value };
      await api('POST', `${path}/decisions`, body);
      done(app, 'meetings.decided_toast');
    },
  });
}

/** Stores the agenda as `ids` and `added` say, in that order. */
async function storeAgenda(app, meeting, lines, key) {
  await api('PUT', `/case-meetings/${meeting.id}/agenda`, { items: lines });
  done(app, key);
}

const kept = (items) => items.map((i) => ({ item_id: i.id }));

/** The coordinator's "Omhoog", "Omlaag" and "Van de agenda" for item `index`. */
function orderButtons(app, meeting, index) {
  const items = meeting.items;
  const moved = (to) => {
    const order = [...items];
    const [item] = order.splice(index, 1);
    order.splice(to, 0, item);
    return kept(order);
  };
  const button = (label, attrs, lines) => h('button', { type: 'button', ...attrs, on: { click: () => storeAgenda(app, meeting, lines, 'meetings.agenda_toast')
    .catch((error) => app.toast(error.message)) } }, label);
  return h('div', { class: 'row' },
    index > 0 ? button(t('meetings.up'), { 'aria-label': t('meetings.up') }, moved(index - 1)) : null,
    index < items.length - 1 ? button(t('meetings.down'), { 'aria-label': t('meetings.down') }, moved(index + 1)) : null,
    items[index].decisions.length ? null
      : button(t('meetings.remove'), { class: 'danger' }, kept(items.filter((_, i) => i !== index))));
}

function itemCard(app, meeting, item, index, { coordinator, owners, partners, lang }) {
  const path = `/case-meetings/${meeting.id}/items/${item.id}`;
  const forms = [[t('meetings.summary'), summaryForm(app, path, item)],
    [t('meetings.decide'), decisionForm(app, path, item, owners, partners, meeting.starts_at.slice(0, 10))]];
  return h('li', { dataset: { item: String(item.id) } }, ...itemHeading(item),
    item.summary ? h('p', {}, item.summary) : null,
    item.decisions.length ? h('ul', { class: 'timeline' }, item.decisions.map((d) => h('li', {},
      d.what, h('div', { class: 'meta' }, t('meetings.decision_line', { owner: decisionOwner(d), date: formatDate(d.due_on, lang) }))))) : null,
    coordinator ? orderButtons(app, meeting, index) : null,
    h('div', { class: 'row' }, forms.map(([label, form]) => opener(label, form))), ...forms.map(([, form]) => form));
}

/** InBeeld's proposal: each client with why, one tap to take her over, or all at once. */
function draftSection(app, meeting, draft, lang) {
  const line = (d) => ({ reason: d.reason, client_id: d.client_id });
  const take = (lines) => storeAgenda(app, meeting, [...kept(meeting.items), ...lines], 'meetings.agenda_toast');
  const title = h('input', { id: 'meeting-free-title', maxlength: 200, required: true, autocomplete: 'off' });
  const free = changeForm({
    id: 'meeting-free', compact: true,
    fields: field(title.id, t('meetings.free'), title),
    submit: t('meetings.add'),
    run: () => take([{ reason: 'free', title: title.value }]),
  });
  return h('section', { class: 'card', id: 'meeting-draft' }, h('h2', {}, t('meetings.draft')),
    draft.length
      ? [h('ul', { class: 'list' }, draft.map((d) => h('li', {},
        h('strong', {}, d.alias), ` · ${t(`meeting_reason.${d.reason}`)}`,
        h('div', { class: 'meta' }, t('meetings.since', { date: formatDate(d.since, lang) })),
        h('button', { type: 'button', on: { click: () => take([line(d)]) } }, t('meetings.add'))))),
      h('button', { type: 'button', class: 'primary', id: 'meeting-take-all', on: { click: () => take(draft.map(line)) } }, t('meetings.add_all'))]
      : h('p', { class: 'meta' }, t('meetings.draft_none')),
    free);
}

export async function showMeeting(main, app, id) {
  const lang = language();
  const coordinator = app.me.role === 'coordinator';
  const [meeting, partners, colleagues, draft] = await Promise.all([
    api('GET', `/case-meetings/${id}`), api('GET', '/partners'), teamCasemanagers(app),
    coordinator ? api('GET', `/case-meetings/${id}/draft`) : [],
  ]);
  const owners = [{ id: app.me.id, name: app.me.display_name }, ...colleagues.map((c) => ({ id: c.id, name: c.display_name }))]
    .filter((o, i, all) => all.findIndex((other) => other.id === o.id) === i);
  main.append(backLink('#/casusoverleg', t('meetings.title')),
    h('h1', {}, t('meetings.one', { when: formatDateTime(meeting.starts_at, lang) })),
    h('p', {}, meeting.location),
    meeting.partners.length ? h('p', { class: 'meta' }, meeting.partners.map((p) => p.name).join(', ')) : null,
    h('p', {}, h('a', { href: `#/casusoverleg/${id}/notulen`, id: 'meeting-minutes' }, t('meetings.minutes'))),
    h('h2', {}, t('meetings.agenda')),
    meeting.items.length
      ? h('ol', { class: 'list', id: 'meeting-agenda' }, meeting.items.map((item, i) => itemCard(app, meeting, item, i, { coordinator, owners, partners, lang })))
      : h('p', {}, t('meetings.agenda_empty')),
    coordinator ? draftSection(app, meeting, draft, lang) : null);
}
