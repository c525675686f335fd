// Cliëntenlijst importeren (coordinator): choose the team's CSV file, see per line what an
// import would do, then import. The server decides everything again on import.

import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { errorText, t } from '../i18n.js';

export async function showClientImport(main) {
  const result = h('div', { id: 'import-result', 'aria-live': 'polite' });
  let csv = null;

  const input = h('input', {
    type: 'file', id: 'import-file', accept: '.csv,text/csv',
    on: { change: async () => {
      const file = input.files[0];
      if (!file) return;
      // Bytes that are not UTF-8 become U+FFFD, which the server refuses with csv_not_utf8.
      csv = new TextDecoder('utf-8').decode(await file.arrayBuffer());
      await send('/clients/import/preview', false);
    } },
  });

  async function send(path, done) {
    clear(result);
    try {
      const answer = await api('POST', path, { csv });
      show(answer, done);
    } catch (error) {
      result.append(h('p', { class: 'error', role: 'alert' }, errorText(error)));
    }
  }

  function show(answer, done) {
    const { counts } = answer;
    if (done) {
      result.append(h('p', { class: 'good', role: 'status' }, t('import.done', counts)));
    } else {
      result.append(h('p', { class: 'meta' }, t('import.counts', counts)));
    }
    if (answer.ignored_columns.length > 0) {
      result.append(h('p', { class: 'meta' }, t('import.ignored', { columns: answer.ignored_columns.join(', ') })));
    }
    result.append(h('ul', { class: 'list', id: 'import-rows' }, answer.rows.map((row) => h('li', { dataset: { action: row.action } },
      h('strong', {}, `${t('import.line', { n: row.line })} · ${row.code || '—'}`),
      h('div', { class: row.action === 'error' ? 'error' : 'meta' }, describe(row))))));
    if (done) return;
    if (counts.create + counts.change === 0) {
      result.append(h('p', { class: 'meta' }, t('import.nothing')));
      return;
    }
    result.append(h('button', { class: 'primary', id: 'import-confirm', type: 'button',
      on: { click: () => send('/clients/import', true) } }, t('import.confirm')));
  }

  main.append(h('h1', {}, t('import.title')),
    h('section', { class: 'card' },
      h('p', {}, t('import.intro')),
      h('p', {}, h('a', { href: '/api/v1/clients/import/template.csv', download: '' }, t('import.template'))),
      h('label', { for: 'import-file' }, t('import.choose')), input),
    result);
}

/** One line of the preview in words: Nieuw, Gewijzigd: velden, Ongewijzigd, Niet te lezen: reden. */
function describe(row) {
  switch (row.action) {
    case 'create': return t('import.create');
    case 'change': return t('import.change', { fields: row.changes.map((f) => t(`import.field.${f}`)).join(', ') });
    case 'unchanged': return t('import.unchanged');
    default: return t('import.error', {
      reasons: row.errors.map((e) => t(`import.reason.${e.error}`, { column: e.column })).join('; '),
    });
  }
}
