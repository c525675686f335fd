// Signaal: what a worker noticed at the zone, in a few taps, opened from Turven or Vanavond.
// The kind first (big rows, one thumb); where and when default to her shift's location (or
// the one Turven last used) and now; about a known client, an unknown woman or nobody in
// particular; a short text; for trafficking the team's indicator checklist, and for an
// acute danger the switch that warns everyone on shift. It goes through the outbox with its
// own Idempotency-Key, like a tap on Turven: offline it waits, and it is never doubled.

import { inCare, teamClients } from '../data.js';
import { backLink, h, wallTime } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { enqueue, flush, pending, refused } from '../queue.js';
import { KINDS, WARNS, indicators } from '../signals.js';
import { remove } from '../store.js';
import { locations, myCurrentShift, tonightsShifts } from './tonight.js';

/** The kinds as big radio rows, two a line. */
function kindPicker(onPick) {
  const inputs = KINDS.map((kind) => h('input', { type: 'radio', name: 'signal-kind', value: kind, required: true,
    on: { change: onPick } }));
  const fieldset = h('fieldset', { class: 'kinds', id: 'signal-kind' }, h('legend', {}, t('signal.kind')),
    inputs.map((input) => h('label', { class: 'kind' }, input, h('span', {}, t(`signal_kind.${input.value}`)))));
  return { fieldset, value: () => inputs.find((input) => input.checked)?.value };
}

/** Where the signal happened by default: her shift's location, else Turven's last one. */
function defaultPlace(shift, active) {
  if (shift) return shift.location_id;
  const last = Number(localStorage.getItem('inbeeld.place'));
  return active.some((p) => p.id === last) ? last : active[0]?.id;
}

export async function showSignal(main, app, from) {
  const back = from === 'vanavond' ? '#/vanavond' : '#/turven';
  const [{ value: shifts }, { value: places }, { value: team }, { value: checklist }] = await Promise.all([
    tonightsShifts(app.me), locations(), teamClients(), indicators().catch(() => ({ value: [] })),
  ]);
  const shift = myCurrentShift(shifts, app.me);
  const active = places.filter((p) => p.active);
  const openedAt = new Date();

  const message = h('p', { class: 'error', role: 'alert' });
  const warn = h('input', { type: 'checkbox', role: 'switch', id: 'signal-warning' });
  const warnRow = h('label', { class: 'switch', for: 'signal-warning', hidden: true }, warn,
    h('span', {}, t('signal.warning')));
  const warnHint = h('p', { class: 'meta hint', hidden: true }, t('signal.warning_hint'));
  const boxes = checklist.map((i) => h('input', { type: 'checkbox', value: String(i.id) }));
  const checks = h('fieldset', { id: 'signal-indicators', hidden: true }, h('legend', {}, t('signal.indicators')),
    boxes.length ? boxes.map((box, i) => h('label', { class: 'inline' }, box, checklist[i].label))
      : h('p', { class: 'meta' }, t('signal.indicators_none')));
  const kind = kindPicker(() => {
    const chosen = kind.value();
    warnRow.hidden = !WARNS.includes(chosen);
    warnHint.hidden = warnRow.hidden;
    if (warnRow.hidden) warn.checked = false;
    checks.hidden = chosen !== 'trafficking';
    if (chosen === 'new_face' && who.value === '') {
      who.value = 'unknown';
      description.hidden = descriptionLabel.hidden = false;
    }
  });

  const clients = inCare(team).sort((a, b) => a.alias.localeCompare(b.alias, 'nl'));
  const who = h('select', { id: 'signal-who', on: { change: () => {
    description.hidden = descriptionLabel.hidden = who.value !== 'unknown';
  } } },
  h('option', { value: '' }, t('signal.who_nobody')),
  h('option', { value: 'unknown' }, t('signal.who_unknown')),
  clients.map((c) => h('option', { value: String(c.id) }, c.alias)));
  const descriptionLabel = h('label', { for: 'signal-description', hidden: true }, t('signal.description'));
  const description = h('textarea', { id: 'signal-description', rows: '2', maxlength: '300', hidden: true,
    placeholder: t('signal.description_hint') });
  const text = h('textarea', { id: 'signal-text', rows: '3', maxlength: '1000' });
  const place = h('select', { id: 'signal-place' },
    active.map((p) => h('option', { value: String(p.id), selected: p.id === defaultPlace(shift, active) }, p.name)));
  const when = h('input', { id: 'signal-when', type: 'datetime-local', value: wallTime(openedAt), required: true });
  const untouched = when.value;

  /** The signal as the API wants it; what was left empty is left out. */
  function body() {
    const locationId = Number(place.value) || undefined;
    const chosen = kind.value();
    return {
      kind: chosen,
      // Untouched, the moment the form opened, exactly; changed, her wall time there.
      occurred_at: when.value === untouched ? openedAt.toISOString() : when.value,
      location_id: locationId,
      shift_id: shift && shift.location_id === locationId ? shift.id : undefined,
      client_id: /^\d+$/.test(who.value) ? Number(who.value) : undefined,
      description: who.value === 'unknown' ? description.value.trim() || undefined : undefined,
      text: text.value.trim() || undefined,
      indicator_ids: chosen === 'trafficking' ? boxes.filter((b) => b.checked).map((b) => Number(b.value)) : undefined,
      warning: warn.checked || undefined,
    };
  }

  async function send(event) {
    event.preventDefault();
    message.textContent = '';
    const signal = body();
    const key = await enqueue('/signals', signal);
    await flush();
    // Refused at once (a time in the future, say): said on the form, which keeps what
    // was typed, not kept aside with what waits for a network.
    const failed = (await refused()).find((item) => item.key === key);
    if (failed) {
      await remove('failed', key);
      message.textContent = errorText({ code: failed.error });
      return;
    }
    const waiting = (await pending()).some((item) => item.key === key);
    if (waiting) app.toast(t(signal.warning ? 'signal.warning_queued' : 'signal.queued'));
    else app.toast(t(signal.warning ? 'signal.warning_sent' : 'signal.sent'));
    app.navigate(back);
  }

  main.append(backLink(back, t(from === 'vanavond' ? 'tonight.title' : 'tally.title')),
    h('h1', {}, t('signal.title')),
    h('form', { id: 'signal-form', on: { submit: send } },
      kind.fieldset, warnRow, warnHint, checks,
      h('label', { for: 'signal-who' }, t('signal.who')), who, descriptionLabel, description,
      h('label', { for: 'signal-text' }, t('signal.text')), text,
      h('label', { for: 'signal-place' }, t('signal.where')), place,
      h('label', { for: 'signal-when' }, t('signal.when')), when,
      message,
      h('button', { type: 'submit', class: 'primary big' }, t('signal.send'))));
}
