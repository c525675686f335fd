// A client's casemanagers, current and past. The coordinator adds a colleague of the team
// (she alone may list the accounts); a casemanager can add herself. Ending an assignment
// makes today its last day, asked once more: the client may be left without a casemanager.

import { api } from '../api.js';
import { formatDate, h, localDate } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, field, select } from '../online_forms.js';

/** Assignments running today. */
export const currentOf = (assignments, today = localDate()) =>
  assignments.filter((a) => a.from_on <= today && (!a.until_on || a.until_on >= today));

function period(assignment, lang) {
  if (!assignment.until_on) return t('casemanagers.since', { date: formatDate(assignment.from_on, lang) });
  return `${formatDate(assignment.from_on, lang)} – ${formatDate(assignment.until_on, lang)}`;
}

export function casemanagerSection(app, client, assignments, colleagues, editor, lang) {
  const today = localDate();
  const current = currentOf(assignments, today);
  // Ended as of today she is still hers today; only an open assignment can be ended.
  const open = current.filter((a) => !a.until_on);
  const done = (message) => { app.toast(message); app.redraw(); };
  const section = h('section', { id: 'casemanagers' }, h('h2', {}, t('client.casemanagers')));
  if (assignments.length === 0) section.append(h('p', {}, t('file.nobody')));
  section.append(h('ul', { class: 'list' }, assignments.map((a) => h('li', {},
    h('div', {}, h('strong', {}, a.display_name), ` · ${period(a, lang)}`),
    editor && open.includes(a) ? changeForm({
      id: `end-assignment-${a.id}`, compact: true,
      submit: t('casemanagers.end'),
      confirm: () => t(open.length === 1 ? 'casemanagers.end_last_confirm' : 'casemanagers.end_confirm', { name: a.display_name, alias: client.alias }),
      yes: t('casemanagers.end_yes'),
      danger: true,
      run: async () => {
        await api('PATCH', `/clients/${client.id}/casemanagers/${a.id}`, { until_on: today });
        done(t('casemanagers.ended', { name: a.display_name }));
      },
    }) : null))));
  if (!editor) return section;
  const assigned = new Set(current.map((a) => a.user_id));
  const candidates = colleagues.filter((u) => !assigned.has(u.id));
  if (candidates.length) {
    const who = select('assign-user', candidates.map((u) => [String(u.id), u.display_name]), String(candidates[0].id));
    const from = h('input', { id: 'assign-from', type: 'date', value: today, required: true });
    section.append(changeForm({
      id: 'assign',
      title: t('casemanagers.add'),
      fields: [...field('assign-user', t('casemanagers.who'), who), ...field('assign-from', t('casemanagers.from'), from)],
      submit: t('casemanagers.add_submit'),
      run: async () => {
        await api('POST', `/clients/${client.id}/casemanagers`, { user_id: Number(who.value), from_on: from.value });
        done(t('casemanagers.added'));
      },
    }));
  } else if (app.me.role === 'casemanager' && !assigned.has(app.me.id)) {
    section.append(changeForm({
      id: 'assign-self', compact: true,
      submit: t('casemanagers.add_self'),
      run: async () => {
        await api('POST', `/clients/${client.id}/casemanagers`, { user_id: app.me.id });
        done(t('casemanagers.added'));
      },
    }));
  }
  return section;
}
