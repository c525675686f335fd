// Signalen: the coordinator's triage of what the team noticed. New signals first, then the
// rest newest first; each with its kind, when, where, about whom, its text and indicators,
// who gave it, and every hand-off. She sets its status and records a hand-off (to whom,
// how, when; who handed it off is who records it). Read offline from the last copy;
// changes are online only.

import { api } from '../api.js';
import { fresh, teamClients } from '../data.js';
import { formatDateTime, h, wallTime } from '../dom.js';
import { language, t } from '../i18n.js';
import { changeForm, field, opener, select } from '../online_forms.js';
import { signalLines } from '../signals.js';
import { locations } from './tonight.js';

const STATUSES = ['new', 'assessed', 'passed_on', 'closed'];
const RECIPIENTS = ['police', 'trafficking_coordinator', 'comensha', 'supervisor', 'partner'];
const METHODS = ['phone', 'email', 'in_person', 'meeting', 'other'];

/** "Politie (zedenrecherche) · telefonisch · ma 30 nov 21:10 · Anna". */
function handoffLine(handoff, lang) {
  const to = t(`signal_recipient.${handoff.recipient}`);
  return [handoff.recipient_detail ? `${to} (${handoff.recipient_detail})` : to, t(`signal_method.${handoff.method}`),
    formatDateTime(handoff.handed_at, lang), handoff.recorded_by_display_name].join(' · ');
}

/** The status of a signal: a select and its button. */
function statusForm(app, signal) {
  const id = `signal-${signal.id}-status`;
  const status = select(id, STATUSES.map((s) => [s, t(`signal_status.${s}`)]), signal.status);
  return changeForm({
    id: `${id}-form`, compact: true,
    fields: field(id, t('signals.status'), status),
    submit: t('signals.status_save'),
    run: async () => {
      await api('PATCH', `/signals/${signal.id}`, { status: status.value });
      app.toast(t('signals.status_saved'));
      app.redraw();
    },
  });
}

/** Overdracht vastleggen: to whom (and which one), how and when. */
function handoffForm(app, signal) {
  const base = `signal-${signal.id}-handoff`;
  const recipient = select(`${base}-to`, RECIPIENTS.map((r) => [r, t(`signal_recipient.${r}`)]), 'police');
  const detail = h('input', { id: `${base}-detail`, maxlength: '120', placeholder: t('signals.handoff_detail_hint') });
  const method = select(`${base}-method`, METHODS.map((m) => [m, t(`signal_method.${m}`)]), 'phone');
  const when = h('input', { id: `${base}-when`, type: 'datetime-local', value: wallTime(), required: true });
  const untouched = when.value;
  return changeForm({
    id: base, hidden: true, compact: true,
    fields: [...field(recipient.id, t('signals.handoff_to'), recipient), ...field(detail.id, t('signals.handoff_detail'), detail),
      ...field(method.id, t('signals.handoff_method'), method), ...field(when.id, t('signals.handoff_when'), when)],
    submit: t('signals.handoff_save'),
    run: async () => {
      await api('POST', `/signals/${signal.id}/handoffs`, {
        recipient: recipient.value,
        recipient_detail: detail.value.trim() || null,
        method: method.value,
        // Untouched it is now, which the server knows best.
        handed_at: when.value === untouched ? null : when.value,
      });
      app.toast(t('signals.handoff_saved'));
      app.redraw();
    },
  });
}

function signalCard(app, signal, context, editable) {
  const { lang } = context;
  const card = h('section', { class: 'card', dataset: { signal: String(signal.id), status: signal.status },
    'aria-label': t(`signal_kind.${signal.kind}`) },
  h('p', {}, h('span', { class: signal.status === 'new' ? 'mark warn' : 'mark' }, t(`signal_status.${signal.status}`))),
  ...signalLines(signal, context),
  signal.text_erased_at ? h('p', { class: 'meta' }, t('signals.erased', { when: formatDateTime(signal.text_erased_at, lang) })) : null,
  h('p', { class: 'meta' }, t('signals.recorded_by', {
    name: signal.recorded_by_display_name, when: formatDateTime(signal.recorded_at, lang),
  })));
  if (signal.handoffs.length) {
    card.append(h('h3', {}, t('signals.handoffs')),
      h('ul', { class: 'list handoffs' }, signal.handoffs.map((o) => h('li', {}, handoffLine(o, lang)))));
  }
  if (editable) {
    const handoff = handoffForm(app, signal);
    card.append(statusForm(app, signal), h('div', { class: 'row' }, opener(t('signals.handoff_open'), handoff)), handoff);
  }
  return card;
}

export async function showSignalTriage(main, app) {
  const lang = language();
  const [{ value: signals, stale }, { value: places }, { value: clients }] = await Promise.all([
    fresh('signals', '/signals'), locations(), teamClients()]);
  main.append(h('h1', {}, t('signals.title')),
    h('p', {}, h('a', { href: '#/signalen/indicatoren', id: 'indicators-open' }, t('signals.indicators_open'))));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')), h('p', { class: 'meta' }, t('common.changes_need_network')));
  if (!signals.length) {
    main.append(h('p', {}, t('signals.none')));
    return;
  }
  // New ones first, each group newest first as the server lists them.
  const ordered = [...signals.filter((s) => s.status === 'new'), ...signals.filter((s) => s.status !== 'new')];
  const context = { places, clients, lang };
  main.append(h('div', { id: 'signals' }, ordered.map((s) => signalCard(app, s, context, !stale))));
}
