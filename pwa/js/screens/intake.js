// Nieuwe cliënt: the intake of a new client by a coordinator or casemanager. Her
// casemanager is the one who takes her in, unless the coordinator picks a colleague
// (only coordinators may list the team's accounts). A registration she already has, or
// has applied for, can be recorded at once: it becomes the first event of her history.

import { api } from '../api.js';
import { backLink, h, localDate } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, choice, field, select, yesNo } from '../online_forms.js';

export const REGIONS = ['nijmegen', 'mo_region', 'outside'];
export const ADDICTION = ['yes', 'no', 'unknown'];

/**
 * Who can be a client's casemanager: the team's active casemanagers and coordinators, from
 * the accounts only a coordinator may list (offline: nobody to pick, she herself is the default).
 */
export async function teamCasemanagers(app) {
  if (app.me.role !== 'coordinator') return [];
  const users = await api('GET', '/users').catch(() => []);
  return users.filter((u) => u.active && ['casemanager', 'coordinator'].includes(u.role));
}

export async function showIntake(main, app) {
  const colleagues = await teamCasemanagers(app);
  const today = localDate();
  const alias = h('input', { id: 'intake-alias', maxlength: '40', required: true, autocomplete: 'off' });
  const code = h('input', { id: 'intake-code', maxlength: '20', pattern: '[A-Za-z0-9_\\-]{1,20}', autocomplete: 'off' });
  const region = select('intake-region', REGIONS.map((r) => [r, t(`region.${r}`)]), 'nijmegen');
  const intakeOn = h('input', { id: 'intake-on', type: 'date', value: today, max: today, required: true });
  const threshold = h('input', { id: 'intake-threshold', type: 'number', min: '1', max: '365', inputmode: 'numeric' });
  const addiction = choice('intake-addiction', t('file.addiction'), ADDICTION.map((a) => [a, t(`addiction.${a}`)]), 'unknown');
  const sheltered = yesNo('intake-sheltered', t('file.sheltered_housing'), false);
  const huiskamer = yesNo('intake-huiskamer', t('file.known_at_huiskamer'), false);

  const fields = [
    ...field('intake-alias', t('file.alias'), alias, t('intake.alias_hint')),
    ...field('intake-code', t('file.code'), code, t('intake.code_hint')),
    ...field('intake-region', t('file.region'), region),
    ...field('intake-on', t('file.intake'), intakeOn),
    ...field('intake-threshold', t('file.threshold'), threshold, t('file.threshold_hint')),
    addiction.fieldset, sheltered.fieldset, huiskamer.fieldset,
  ];

  let casemanager = () => undefined;
  if (colleagues.length) {
    const me = colleagues.some((u) => u.id === app.me.id) ? String(app.me.id) : String(colleagues[0].id);
    const pick = select('intake-casemanager', colleagues.map((u) => [String(u.id),
      u.id === app.me.id ? t('intake.myself', { name: u.display_name }) : u.display_name]), me);
    fields.push(...field('intake-casemanager', t('file.casemanager'), pick));
    casemanager = () => Number(pick.value);
  } else if (app.me.role === 'casemanager') {
    fields.push(h('p', { class: 'meta' }, t('intake.casemanager_self')));
  }

  const registration = registrationFields(today);
  fields.push(...registration.fields);

  main.append(backLink('#/clienten', t('clients.title')),
    h('h1', {}, t('intake.title')),
    changeForm({
      id: 'intake',
      fields,
      submit: t('intake.submit'),
      run: async () => {
        const body = {
          alias: alias.value,
          region: region.value,
          intake_on: intakeOn.value,
          addiction: addiction.value(),
          sheltered_housing: sheltered.value(),
          known_at_huiskamer: huiskamer.value(),
          ...registration.body(),
        };
        if (code.value.trim()) body.code = code.value.trim();
        if (threshold.value) body.followup_threshold_days = Number(threshold.value);
        if (casemanager() !== undefined) body.casemanager_id = casemanager();
        const created = await api('POST', '/clients', body);
        app.toast(t('intake.done', { alias: created.alias }));
        app.navigate(`#/client/${created.id}`);
      },
    }));
}

/** A registration at intake: none, applied for, or granted (with number and expiry). */
function registrationFields(today) {
  const kind = choice('intake-registration', t('intake.registration'),
    [['none', t('intake.registration_none')], ['applied', t('registration.applied')], ['registered', t('registration.registered')]], 'none');
  const on = h('input', { id: 'intake-registration-on', type: 'date', value: today, max: today });
  const number = h('input', { id: 'intake-registration-number', maxlength: '40', autocomplete: 'off' });
  const expires = h('input', { id: 'intake-registration-expires', type: 'date' });
  const dated = h('div', { hidden: true }, ...field('intake-registration-on', t('registration.on'), on));
  const granted = h('div', { hidden: true },
    ...field('intake-registration-number', t('registration.number'), number),
    ...field('intake-registration-expires', t('registration.expires_on'), expires));
  const update = () => {
    const value = kind.value();
    dated.hidden = value === 'none';
    granted.hidden = value !== 'registered';
    on.required = value !== 'none';
    number.required = value === 'registered';
    expires.required = value === 'registered';
  };
  for (const input of kind.inputs) input.addEventListener('change', update);
  return {
    fields: [kind.fieldset, dated, granted],
    body() {
      const value = kind.value();
      if (value === 'none') return {};
      return {
        registration_status: value,
        registration_date: on.value,
        ...(value === 'registered' ? { registration_number: number.value, registration_expires_on: expires.value } : {}),
      };
    },
  };
}
