// Cliënt: her file (client_file.js), open follow-ups, her plan (client_plan.js) and goals
// (client_goals.js), registration history, casemanagers and warm handovers, referrals,
// stagnations (client_stagnations.js), signals about her, status history, contacts, and
// the team's tools. Every part read is
// kept in the encrypted store, so a file opened before can be read offline (a file never
// opened falls back to her row in the client list); changes need the network. Offline, a
// part this phone never read is left out and the file says so: shown as empty ("Geen."),
// it would tell her that a woman seen tonight has no contacts.

import { ApiError } from '../api.js';
import { fresh } from '../data.js';
import { backLink, formatDate, formatDateTime, h } from '../dom.js';
import { language, t } from '../i18n.js';
import { cached } from '../store.js';
import { casemanagerSection, currentOf } from './client_casemanagers.js';
import { fileActions, fileCard } from './client_file.js';
import { goalSection, queuedGoals } from './client_goals.js';
import { planSection } from './client_plan.js';
import { referralSection } from './client_referrals.js';
import { registrationSection } from './client_registration.js';
import { stagnationSection } from './client_stagnations.js';
import { signalSection } from './client_signals.js';
import { statusHistory } from './client_status.js';
import { outreachForm } from './client_outreach.js';
import { clientTools } from './client_tools.js';
import { describe } from './followups.js';
import { teamCasemanagers } from './intake.js';
import { locations } from './tonight.js';

/** Her file as last fetched, or offline her row in the client list (or nothing). */
async function clientFile(id) {
  const { value, stale } = await fresh(`client-${id}`, `/clients/${id}`, null);
  const client = value ?? ((await cached('clients')) ?? []).find((c) => c.id === Number(id));
  return { client, stale };
}

/** Offline, a part of her file this phone never read. */
const NOT_HERE = Symbol('not on this phone');

/**
 * A part of her file; `null` when this server does not have it (an older version),
 * `NOT_HERE` offline when this phone never read it.
 */
async function part(id, name, path) {
  try {
    return (await fresh(`client-${id}-${name}`, path, NOT_HERE)).value;
  } catch (error) {
    if (error instanceof ApiError && [404, 405].includes(error.status)) return null;
    throw error;
  }
}

/** Who of the team may own an action: oneself, her casemanagers, and for the coordinator the team's. */
function actionOwners(app, assignments, colleagues) {
  const owners = [{ id: app.me.id, name: app.me.display_name },
    ...currentOf(assignments).map((a) => ({ id: a.user_id, name: a.display_name })),
    ...colleagues.map((c) => ({ id: c.id, name: c.display_name }))];
  return owners.filter((o, i) => owners.findIndex((other) => other.id === o.id) === i);
}

export async function showClient(main, app, id) {
  const role = app.me.role;
  const editor = ['coordinator', 'casemanager'].includes(role);
  const lang = language();
  const { client, stale } = await clientFile(id);
  if (!client) {
    main.append(h('p', { class: 'error', role: 'alert' }, t('client.not_on_phone')));
    return;
  }
  const care = ['coordinator', 'casemanager', 'peer'].includes(role);
  const read = await Promise.all([
    part(id, 'contacts', `/clients/${id}/contacts`),
    part(id, 'casemanagers', `/clients/${id}/casemanagers`),
    part(id, 'handovers', `/clients/${id}/handovers`),
    // The process director reads what was escalated to her, not the team's follow-up list.
    role === 'process_director' ? fresh('escalations', '/escalations', NOT_HERE).then((r) => r.value)
      : fresh('followups', '/followups', NOT_HERE).then((r) => r.value),
    part(id, 'status-history', `/clients/${id}/status-history`),
    part(id, 'registration-events', `/clients/${id}/registration-events`),
    part(id, 'referrals', `/clients/${id}/referrals`),
    // Peers see nothing of stagnations.
    role === 'peer' ? null : part(id, 'stagnations', `/clients/${id}/stagnations`),
    editor ? fresh('partners', '/partners').then((r) => r.value) : [],
    editor && !stale ? teamCasemanagers(app) : [],
    // Her scores are for her casemanagers and the coordinator only.
    editor ? part(id, 'progress', `/clients/${id}/progress`) : null,
    part(id, 'signals', `/clients/${id}/signals`),
    locations().then((r) => r.value).catch(() => []),
    // Her goals and their open actions are for the whole team.
    care ? part(id, 'goals', `/clients/${id}/goals`) : null,
    care ? part(id, 'plan-review', `/clients/${id}/plan-review`) : null,
  ]);
  const partial = read.includes(NOT_HERE);
  const [contacts, assignments, handovers, followups, statuses, events, referrals, stagnations, partners, colleagues, progress, signals, places, goals, review] =
    read.map((value) => (value === NOT_HERE ? null : value));
  if (['coordinator', 'casemanager', 'peer'].includes(role)) {
    main.append(backLink('#/clienten', t('clients.title')));
  }
  main.append(h('h1', {}, client.alias));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  if (stale && editor) main.append(h('p', { class: 'meta' }, t('common.changes_need_network')));
  if (partial) main.append(h('p', { class: 'meta', id: 'file-partial' }, t('client.parts_not_on_phone')));
  main.append(fileCard(client, assignments && currentOf(assignments), lang));
  if (editor) main.append(...fileActions(app, client, lang));
  const open = followups?.filter((f) => f.client_id === client.id && f.status !== 'closed');
  if (open) main.append(
    h('h2', {}, t('client.followups')),
    open.length
      ? h('ul', { class: 'list', id: 'client-followups' }, open.map((f) => h('li', {},
        h('a', { href: `#/opvolging/${f.id}` }, describe(f, lang)),
        f.escalation_level >= 2 ? h('div', { class: 'meta' }, [t('followups.escalated'), f.reason ? t('escalations.reason', { reason: f.reason }) : null]
          .filter(Boolean).join(' · ')) : null)))
      : h('p', {}, t('client.none')),
  );
  // Offline, a plan never read on this phone is not there to show (the fallback is empty).
  if (progress?.domains) main.append(planSection(app, client, progress, lang));
  if (Array.isArray(goals)) {
    main.append(goalSection(app, client, goals, {
      editor,
      owners: actionOwners(app, assignments ?? [], colleagues),
      partners: partners ?? [],
      queued: editor ? await queuedGoals(client) : [],
      review,
    }, lang));
  }
  if (events) main.append(registrationSection(app, client, events, editor, lang));
  if (assignments) main.append(casemanagerSection(app, client, assignments, colleagues, editor, lang));
  if (referrals) main.append(referralSection(app, client, referrals, partners, editor && !stale, lang));
  if (stagnations) main.append(stagnationSection(app, client, stagnations, role, !stale, lang));
  if (handovers?.length) {
    main.append(h('h2', {}, t('client.handovers')),
      h('ul', { class: 'list' }, handovers.map((o) => h('li', {},
        t('client.handover', { from: o.from_display_name, to: o.to_display_name, until: formatDate(o.overlap_until, lang) }),
        h('div', { class: 'meta' }, o.note)))));
  }
  if (signals?.length) main.append(signalSection(signals, places, lang));
  if (statuses) main.append(statusHistory(statuses, lang));
  if (contacts) main.append(h('h2', {}, t('client.visits')),
    contacts.length
      ? h('ul', { class: 'list' }, contacts.slice(0, 50).map((c) => h('li', {},
        [formatDateTime(c.seen_at, lang), t(`contact_kind.${c.kind}`), c.services.map((s) => t(`service.${s}`)).join(', ')]
          .filter(Boolean).join(' · '),
        c.note ? h('div', { class: 'meta' }, c.note) : null)))
      : h('p', {}, t('client.none')));
  if (['coordinator', 'casemanager', 'peer'].includes(role) && client.caseload_status !== 'closed') {
    main.append(outreachForm(app, client));
  }
  if (editor) await clientTools(main, app, client, assignments ?? [], colleagues);
}
