// The hours a week each colleague of the team is contracted for, which the coordinator
// keeps here: the report pack sets the hours on shift per role against them.

import { api } from '../api.js';
import { h } from '../dom.js';
import { errorText, t } from '../i18n.js';

const STAFF = ['coordinator', 'casemanager', 'peer'];

/** One row per active colleague: her name, role and hours, saved on their own. */
export function hoursCard(app, users) {
  const staff = users.filter((u) => u.active && STAFF.includes(u.role));
  return h('section', { class: 'card', id: 'contracted-hours' }, h('h2', {}, t('team.hours')),
    h('p', { class: 'meta' }, t('team.hours_about')),
    h('ul', { class: 'list' }, staff.map((user) => {
      const id = `hours-${user.id}`;
      const hours = h('input', {
        id, type: 'number', min: '0', max: '60', step: '1', inputmode: 'numeric',
        value: user.contracted_hours_per_week == null ? '' : String(user.contracted_hours_per_week),
      });
      const message = h('p', { class: 'error', role: 'alert' });
      return h('li', {}, h('form', { class: 'compact', on: { submit: async (event) => {
        event.preventDefault();
        try {
          const body = { hours_per_week: hours.value === '' ? null : Number(hours.value) };
          await api('PUT', `/users/${user.id}/contracted-hours`, body);
          app.toast(t('team.hours_saved', { name: user.display_name }));
        } catch (error) {
          message.textContent = errorText(error);
        }
      } } },
      h('label', { for: id }, `${user.display_name} · ${t(`role.${user.role}`)}`),
      h('div', { class: 'row' }, hours, h('button', { type: 'submit' }, t('team.hours_save'))),
      message));
    })));
}
