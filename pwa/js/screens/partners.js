// The partner organisations of the care chain: the admin keeps them under Beheer, the
// coordinator from her Team screen. A partner that has been referred to is switched off,
// not deleted (the server refuses: partner_in_use).

import { api } from '../api.js';
import { h } from '../dom.js';
import { checkbox, control, editForm, field, summary } from '../forms.js';
import { t } from '../i18n.js';

export async function partnersSection(app) {
  const list = await api('GET', '/partners');
  const name = control('input', { maxlength: 80, required: true });
  return h('section', { class: 'card', id: 'partners' },
    h('p', { class: 'meta' }, t('partners.about')),
    h('ul', { class: 'list' }, list.map((partner) => {
      const rename = control('input', { value: partner.name, maxlength: 80, required: true });
      const [inUse, active] = checkbox(t('admin.active'), partner.active);
      let remove = false;
      return h('li', {}, h('details', {},
        summary(h('strong', {}, partner.name), !partner.active && h('span', { class: 'tag' }, t('admin.inactive'))),
        editForm(app, [...field(t('admin.name'), rename), inUse], [
          h('button', { type: 'submit' }, t('admin.save')),
          h('button', { type: 'submit', class: 'danger', on: { click: () => { remove = true; } } }, t('partners.delete')),
        ], async () => {
          if (!remove) return api('PATCH', `/partners/${partner.id}`, { name: rename.value, active: active.checked });
          remove = false;
          if (!confirm(t('partners.delete_confirm', { name: partner.name }))) return false;
          return api('DELETE', `/partners/${partner.id}`);
        })));
    })),
    h('h2', {}, t('partners.new')),
    editForm(app, field(t('admin.name'), name), [h('button', { class: 'primary', type: 'submit' }, t('partners.new'))],
      () => api('POST', '/partners', { name: name.value })));
}
