// On her page: a contact outside a shift (by phone, a home visit, on the street, an
// appointment). It keeps her in view (her absence clock starts again) but is no visit to a
// location. It goes through the outbox like a tap, so it is kept offline and sent later.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { enqueue, flush, pending } from '../queue.js';

const KINDS = ['phone', 'home_visit', 'outreach', 'appointment'];

export function outreachForm(app, client) {
  const select = h('select', { id: 'outreach-kind' },
    KINDS.map((kind) => h('option', { value: kind }, t(`outreach.kind.${kind}`))));
  return h('form', { class: 'card', id: 'outreach', on: { submit: async (event) => {
    event.preventDefault();
    const key = await enqueue('/contacts', {
      client_id: client.id, kind: select.value, seen_at: new Date().toISOString(),
    });
    await flush();
    const waiting = (await pending()).some((item) => item.key === key);
    app.toast(t(waiting ? 'outreach.queued' : 'outreach.saved'));
    if (!waiting) app.redraw();
  } } },
  h('h2', {}, t('outreach.title')),
  h('label', { for: 'outreach-kind' }, t('outreach.kind')), select,
  h('button', { type: 'submit', class: 'primary' }, t('outreach.save')));
}
