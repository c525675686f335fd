// The team's checklist of signs of exploitation or trafficking, as the coordinator keeps it
// (opened from Signalen): each indicator renamed, retired (no longer offered on the form,
// still on the signals it was ticked on) or brought back, and new ones added. Online only.

import { api } from '../api.js';
import { backLink, h } from '../dom.js';
import { t } from '../i18n.js';
import { changeForm, field } from '../online_forms.js';

/** One indicator: its label and whether the form offers it. */
function indicatorForm(app, indicator) {
  const base = `indicator-${indicator.id}`;
  const label = h('input', { id: `${base}-label`, value: indicator.label, maxlength: '120', required: true });
  const active = h('input', { id: `${base}-active`, type: 'checkbox', checked: indicator.active });
  return changeForm({
    id: base, compact: true,
    fields: [...field(label.id, t('indicators.label'), label),
      h('label', { class: 'inline', for: active.id }, active, t('indicators.active'))],
    submit: t('indicators.save'),
    run: async () => {
      await api('PATCH', `/signal-indicators/${indicator.id}`, { label: label.value.trim(), active: active.checked });
      app.toast(t('indicators.saved'));
      app.redraw();
    },
  });
}

export async function showSignalIndicators(main, app) {
  const list = await api('GET', '/signal-indicators?with_retired=true');
  const label = h('input', { id: 'indicator-new-label', maxlength: '120', required: true });
  main.append(backLink('#/signalen', t('signals.title')), h('h1', {}, t('indicators.title')),
    h('p', { class: 'meta' }, t('indicators.about')),
    h('ul', { class: 'list', id: 'indicators' }, list.map((i) => h('li', { dataset: { indicator: String(i.id) } },
      indicatorForm(app, i)))),
    changeForm({
      id: 'indicator-new', title: t('indicators.new'),
      fields: field(label.id, t('indicators.label'), label),
      submit: t('indicators.add'),
      run: async () => {
        await api('POST', '/signal-indicators', { label: label.value.trim() });
        app.toast(t('indicators.saved'));
        app.redraw();
      },
    }));
}
