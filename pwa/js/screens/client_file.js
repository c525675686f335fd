// A client's file as the team reads it (status and why, categories, region, intake,
// follow-up threshold, last seen, casemanagers) and, for the coordinator and casemanagers,
// its changes: edit, to regular care and back, close with a reason, reopen. A field the
// server does not send is simply not shown, and never sent back.

import { api } from '../api.js';
import { formatDate, formatSeen, h, localDate } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, choice, field, opener, select, yesNo } from '../online_forms.js';
import { ADDICTION, REGIONS } from './intake.js';

export const EXIT_REASONS = ['regular_care', 'moved_away', 'stopped_sex_work', 'detained', 'deceased', 'other'];

const yes = (value) => t(value ? 'common.yes' : 'common.no');

/** Her status in words: "Gesloten op 12 feb 2026: verhuisd of terug naar de eigen regio". */
function statusText(client, lang) {
  const status = t(`caseload.${client.caseload_status}`);
  if (client.caseload_status !== 'closed') return status;
  const since = client.exit_on ? t('file.closed_on', { date: formatDate(client.exit_on, lang) }) : status;
  return client.exit_reason ? `${since}: ${t(`exit_reason.${client.exit_reason}`)}` : since;
}

function registrationText(client, lang) {
  const parts = [t(`registration.${client.registration_status}`)];
  if (client.registration_number) parts.push(t('registration.number_short', { number: client.registration_number }));
  if (client.registration_expires_on) parts.push(t('registration.valid_until', { date: formatDate(client.registration_expires_on, lang) }));
  return parts.join(' · ');
}

/** The file, as rows of what and how; `current`: her casemanagers now, `null` when not known here. */
export function fileCard(client, current, lang) {
  const rows = [
    ['file.status', statusText(client, lang)],
    ['file.exit_note', client.exit_note],
    ['file.last_seen', client.last_contact_at ? formatSeen(client.last_contact_at, lang) : t('client.never')],
    ['file.code', client.code],
    ['file.region', t(`region.${client.region}`)],
    ['file.intake', client.intake_on ? formatDate(client.intake_on, lang) : null],
    ['file.threshold_short', t(client.followup_threshold_days ? 'file.threshold_days' : 'file.threshold_default',
      { n: client.effective_threshold_days })],
    ['file.addiction', 'addiction' in client ? t(`addiction.${client.addiction}`) : null],
    ['file.sheltered_housing', 'sheltered_housing' in client ? yes(client.sheltered_housing) : null],
    ['file.known_at_huiskamer', 'known_at_huiskamer' in client ? yes(client.known_at_huiskamer) : null],
    ['file.registration', registrationText(client, lang)],
    ['file.casemanagers', current && (current.map((c) => c.display_name).join(', ') || t('file.nobody'))],
  ];
  const marks = [];
  if (client.top15) marks.push(h('span', { class: 'mark', id: 'mark-top15' }, t('file.top15_mark')));
  if (client.out_of_view) marks.push(h('span', { class: 'mark warn' }, t('clients.mark_out_of_view')));
  if (client.casemanager_count === 0 && client.caseload_status !== 'closed') {
    marks.push(h('span', { class: 'mark' }, t('clients.mark_no_casemanager')));
  }
  return h('section', { class: 'card', id: 'client-file' },
    marks.length ? h('p', { class: 'row' }, marks) : null,
    h('dl', { class: 'file' }, rows.filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([key, value]) => h('div', {}, h('dt', {}, t(key)), h('dd', {}, value)))));
}

/** Bewerken, the caseload buttons, Afsluiten or Heropenen: for the coordinator and casemanagers. */
export function fileActions(app, client, lang) {
  const done = (message) => () => { app.toast(message); app.redraw(); };
  const change = (body) => api('PATCH', `/clients/${client.id}`, body);
  const edit = editForm(app, client);
  const buttons = [opener(t('file.edit'), edit, { id: 'edit-open' })];
  const forms = [edit];
  if (client.caseload_status === 'active') {
    forms.push(changeForm({ id: 'to-regular-care', submit: t('file.to_regular_care'), hidden: true,
      fields: [h('p', {}, t('file.to_regular_care_about'))],
      run: () => change({ caseload_status: 'regular_care' }).then(done(t('file.now_regular_care', { alias: client.alias }))) }));
    buttons.push(opener(t('file.to_regular_care'), forms.at(-1), { id: 'to-regular-care-open' }));
  } else if (client.caseload_status === 'regular_care') {
    forms.push(changeForm({ id: 'to-own-caseload', submit: t('file.to_own_caseload'), hidden: true,
      fields: [h('p', {}, t('file.to_own_caseload_about'))],
      run: () => change({ caseload_status: 'active' }).then(done(t('file.now_own_caseload', { alias: client.alias }))) }));
    buttons.push(opener(t('file.to_own_caseload'), forms.at(-1), { id: 'to-own-caseload-open' }));
  }
  if (client.caseload_status === 'closed') {
    forms.push(changeForm({ id: 'reopen', submit: t('file.reopen'), hidden: true,
      fields: [h('p', {}, t('file.reopen_about'))],
      confirm: () => t('file.reopen_confirm', { alias: client.alias }), yes: t('file.reopen_yes'),
      run: () => api('POST', `/clients/${client.id}/reopen`).then(done(t('file.reopened', { alias: client.alias }))) }));
    buttons.push(opener(t('file.reopen'), forms.at(-1), { id: 'reopen-open' }));
  } else {
    forms.push(closeForm(app, client, lang, done));
    buttons.push(opener(t('file.close'), forms.at(-1), { id: 'close-open', class: 'danger' }));
  }
  return [h('div', { class: 'row actions' }, buttons), ...forms];
}

/** Afsluiten: the exit date, why, and a short note; asked once more before it is sent. */
function closeForm(app, client, lang, done) {
  const today = localDate();
  const on = h('input', { id: 'close-on', type: 'date', value: today, max: today, required: true });
  const withReason = 'exit_reason' in client;
  const reason = select('close-reason', [['', t('file.exit_reason_pick')], ...EXIT_REASONS.map((r) => [r, t(`exit_reason.${r}`)])], '', { required: true });
  const note = h('textarea', { id: 'close-note', rows: '2', maxlength: '200' });
  return changeForm({
    id: 'close',
    title: t('file.close_title'),
    hidden: true,
    danger: true,
    fields: [
      ...field('close-on', t('file.exit_on'), on),
      ...(withReason ? [...field('close-reason', t('file.exit_reason'), reason),
        ...field('close-note', t('file.exit_note'), note, t('file.exit_note_hint'))] : []),
    ],
    submit: t('file.close'),
    confirm: () => t(withReason ? 'file.close_confirm' : 'file.close_confirm_no_reason', {
      alias: client.alias, date: formatDate(on.value, lang), reason: withReason ? t(`exit_reason.${reason.value}`) : '',
    }),
    yes: t('file.close_yes'),
    run: async () => {
      const body = { exit_on: on.value };
      if (withReason) {
        body.reason = reason.value;
        if (note.value.trim()) body.note = note.value.trim();
      }
      await api('POST', `/clients/${client.id}/close`, body);
      done(t('file.closed', { alias: client.alias }))();
    },
  });
}

/** Bewerken: her name, code, region, intake, threshold and the categories; only what changed is sent. */
function editForm(app, client) {
  const alias = h('input', { id: 'edit-alias', maxlength: '40', required: true, value: client.alias });
  const code = h('input', { id: 'edit-code', maxlength: '20', required: true, pattern: '[A-Za-z0-9_\\-]{1,20}', value: client.code });
  const region = select('edit-region', REGIONS.map((r) => [r, t(`region.${r}`)]), client.region);
  const intakeOn = h('input', { id: 'edit-intake', type: 'date', value: client.intake_on ?? '', max: localDate() });
  const threshold = h('input', { id: 'edit-threshold', type: 'number', min: '1', max: '365', inputmode: 'numeric',
    value: client.followup_threshold_days ?? '' });
  const fields = [
    ...field('edit-alias', t('file.alias'), alias),
    ...field('edit-code', t('file.code'), code),
    ...field('edit-region', t('file.region'), region),
    ...field('edit-intake', t('file.intake'), intakeOn),
    ...field('edit-threshold', t('file.threshold'), threshold, t('file.threshold_hint')),
  ];
  const categories = [];
  if ('addiction' in client) {
    const addiction = choice('edit-addiction', t('file.addiction'), ADDICTION.map((a) => [a, t(`addiction.${a}`)]), client.addiction);
    fields.push(addiction.fieldset);
    categories.push(['addiction', addiction.value]);
  }
  for (const [name, id] of [['sheltered_housing', 'edit-sheltered'], ['known_at_huiskamer', 'edit-huiskamer'], ['top15', 'edit-top15']]) {
    if (!(name in client)) continue;
    const picked = yesNo(id, t(`file.${name}`), client[name]);
    fields.push(picked.fieldset);
    categories.push([name, picked.value]);
  }
  return changeForm({
    id: 'client-edit',
    title: t('file.edit_title'),
    hidden: true,
    fields,
    submit: t('settings.save'),
    run: async () => {
      const wanted = {
        alias: alias.value.trim(),
        code: code.value.trim(),
        region: region.value,
        intake_on: intakeOn.value || null,
        followup_threshold_days: threshold.value ? Number(threshold.value) : null,
        ...Object.fromEntries(categories.map(([name, value]) => [name, value()])),
      };
      const body = Object.fromEntries(Object.entries(wanted).filter(([name, value]) => value !== (client[name] ?? null)));
      if (Object.keys(body).length) await api('PATCH', `/clients/${client.id}`, body);
      app.toast(t('file.saved'));
      app.redraw();
    },
  });
}
