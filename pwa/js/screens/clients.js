// Cliënten: the team's clients as the team speaks of them: own caseload, regular care,
// closed, out of view, and (for the coordinator) without a casemanager. The list is the
// team's whole list, filtered on the phone, so every filter works offline from the
// encrypted store; a search goes to the server (POST, so what is typed stays out of URLs)
// and, offline, through the list on the phone.

import { api, OfflineError } from '../api.js';
import { teamClients } from '../data.js';
import { formatSeen, h } from '../dom.js';
import { language, t } from '../i18n.js';

/** The filters, by the hash that opens them: #/clienten/<slug>. */
const FILTERS = [
  { slug: 'eigen', key: 'clients.filter_active', keep: (c) => c.caseload_status === 'active' },
  { slug: 'regulier', key: 'clients.filter_regular_care', keep: (c) => c.caseload_status === 'regular_care' },
  { slug: 'gesloten', key: 'clients.filter_closed', keep: (c) => c.caseload_status === 'closed' },
  { slug: 'buiten-beeld', key: 'clients.filter_out_of_view', keep: outOfView, field: 'out_of_view' },
  { slug: 'zonder-casemanager', key: 'clients.filter_no_casemanager', keep: withoutCasemanager, field: 'casemanager_count', coordinator: true },
];

function outOfView(client) {
  return client.out_of_view === true;
}

function withoutCasemanager(client) {
  return client.casemanager_count === 0 && client.caseload_status !== 'closed';
}

const byAlias = (a, b) => a.alias.localeCompare(b.alias, 'nl');
/** Longest unseen first; never seen before anyone. */
const byLastSeen = (a, b) => (a.last_contact_at ?? '').localeCompare(b.last_contact_at ?? '') || byAlias(a, b);

/** One client as a row to tap: alias and marks, then status and when she was last seen. */
export function clientRow(client, lang) {
  const marks = [];
  if (outOfView(client)) marks.push(h('span', { class: 'mark warn' }, t('clients.mark_out_of_view')));
  if (withoutCasemanager(client)) marks.push(h('span', { class: 'mark' }, t('clients.mark_no_casemanager')));
  const seen = client.last_contact_at
    ? t('clients.seen', { date: formatSeen(client.last_contact_at, lang) })
    : t('clients.never_seen');
  return h('li', {}, h('a', { class: 'row-link', href: `#/client/${client.id}` },
    h('span', { class: 'row' }, h('strong', {}, client.alias), ...marks),
    h('span', { class: 'meta' }, `${t(`caseload.${client.caseload_status}`)} · ${seen}`)));
}

export async function showClients(main, app, slug = 'eigen') {
  const { value: clients, stale } = await teamClients();
  const lang = language();
  const coordinator = app.me.role === 'coordinator';
  const filters = FILTERS.filter((f) => (!f.coordinator || coordinator) && (!f.field || clients.some((c) => f.field in c)));
  const filter = filters.find((f) => f.slug === slug) ?? filters[0];

  main.append(h('h1', {}, t('clients.title')));
  if (stale) main.append(h('p', { class: 'meta' }, t('common.offline_data')));
  const links = h('p', { class: 'links' });
  if (['coordinator', 'casemanager'].includes(app.me.role)) {
    links.append(h('a', { class: 'button primary', href: '#/clienten/nieuw', id: 'new-client' }, t('clients.new')));
  }
  if (coordinator) {
    links.append(h('a', { href: '#/registraties' }, t('clients.registrations')), h('a', { href: '#/team' }, t('clients.team')));
  }
  if (links.childElementCount) main.append(links);

  const pick = h('select', { id: 'clients-filter', on: { change: () => app.navigate(`#/clienten/${pick.value}`) } },
    filters.map((f) => h('option', { value: f.slug, selected: f === filter },
      `${t(f.key)} (${clients.filter(f.keep).length})`)));
  const search = h('input', { id: 'clients-search', type: 'search', autocomplete: 'off', placeholder: t('clients.search') });
  const heading = h('h2', { id: 'clients-heading' });
  const list = h('ul', { class: 'list', id: 'client-list', 'aria-labelledby': 'clients-heading' });
  const empty = h('p', { class: 'meta', hidden: true });
  main.append(h('label', { for: 'clients-filter' }, t('clients.show')), pick,
    h('label', { for: 'clients-search' }, t('clients.search')), search, heading, list, empty);

  function show(title, shown) {
    heading.textContent = title;
    list.replaceChildren(...shown.map((c) => clientRow(c, lang)));
    empty.hidden = shown.length > 0;
    empty.textContent = t('clients.none');
  }

  function showFilter() {
    const shown = clients.filter(filter.keep).sort(filter.slug === 'buiten-beeld' ? byLastSeen : byAlias);
    show(t(filter.key), shown);
  }

  let latest = 0;
  async function find() {
    const q = search.value.trim();
    const run = ++latest;
    if (!q) {
      showFilter();
      return;
    }
    let found;
    try {
      found = stale ? null : await api('POST', '/clients/search', { q });
    } catch (error) {
      if (!(error instanceof OfflineError)) throw error;
    }
    found ??= clients.filter((c) => c.alias.toLowerCase().includes(q.toLowerCase()) || c.code.toLowerCase().includes(q.toLowerCase()));
    if (run === latest) show(t('clients.found', { n: found.length }), found.sort(byAlias));
  }

  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => find().catch(() => {}), 250);
  });
  showFilter();
}
