// Dutch first, English as a choice. Error codes from the API map to sentences here. The
// sentences are in i18n/nl.js and i18n/en.js with the API's errors in i18n/nl/errors.js
// and i18n/en/errors.js (English loads only once chosen), and the office screens' in i18n/nl/ and i18n/en/ (office.js, and one file
// each for Cijfers, her plan and the care chain), loaded when an office screen is first
// opened (the router awaits `officeTexts()`): the night shift's first load carries only
// the Dutch street texts. The service worker keeps every file for offline use.

import nlStreet from './i18n/nl.js';
import nlErrors from './i18n/nl/errors.js';

const nl = { ...nlStreet, ...nlErrors };

// What loads later: English once chosen, the office texts once an office screen opens.
const STREET = {
  en: async () => {
    const [street, errors] = await Promise.all([import('./i18n/en.js'), import('./i18n/en/errors.js')]);
    return { default: { ...street.default, ...errors.default } };
  },
};
const OFFICE = {
  nl: () => Promise.all([
    import('./i18n/nl/office.js'), import('./i18n/nl/figures.js'),
    import('./i18n/nl/plan.js'), import('./i18n/nl/chain.js'),
  ]),
  en: () => Promise.all([
    import('./i18n/en/office.js'), import('./i18n/en/figures.js'),
    import('./i18n/en/plan.js'), import('./i18n/en/chain.js'),
  ]),
};

const street = { nl };
const office = {};
let officeWanted = false;

async function load(lang) {
  street[lang] ??= (await STREET[lang]()).default;
  if (officeWanted) office[lang] ??= Object.assign({}, ...(await OFFICE[lang]()).map((file) => file.default));
}

let current = localStorage.getItem('inbeeld.lang') === 'en' ? 'en' : 'nl';
document.documentElement.lang = current;
await load(current);

export const language = () => current;

export async function setLanguage(lang) {
  const chosen = lang === 'en' ? 'en' : 'nl';
  await load(chosen);
  current = chosen;
  localStorage.setItem('inbeeld.lang', current);
  document.documentElement.lang = current;
}

/** The office screens' texts, for the router to await before drawing one. */
export async function officeTexts() {
  officeWanted = true;
  await load(current);
}

/**
 * The text for `key`: `{name}` becomes `vars[name]`, and `{name:one|many}` becomes `one` when
 * `vars[name]` is 1, else `many` ("{n} {n:dag|dagen}"), so that a count of one reads right.
 */
export function t(key, vars = {}) {
  const text = street[current][key] ?? office[current]?.[key] ?? street.nl[key] ?? key;
  return text.replace(/\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g, (_, name, one, many) => {
    if (one === undefined) return String(vars[name] ?? '');
    return Number(vars[name]) === 1 ? one : many;
  });
}

/**
 * A sentence for an API error: our translation of its code (a test in backend/pwa.rs checks
 * every code the API answers with has one). The server's own message is English: shown only
 * to who chose English, never on a Dutch screen.
 */
export function errorText(error) {
  const key = `error.${error?.code ?? (error?.name === 'OfflineError' ? 'offline' : 'unknown')}`;
  if (street[current][key]) return t(key);
  return (current === 'en' && error?.message) || t('error.unknown');
}
