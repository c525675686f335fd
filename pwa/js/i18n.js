// Dutch first, English as a choice. Error codes from the API map to sentences here. The
// sentences are in one file per language, i18n/nl.js and i18n/en.js.

import en from './i18n/en.js';
import nl from './i18n/nl.js';

const STRINGS = { nl, en };

let current = localStorage.getItem('inbeeld.lang') === 'en' ? 'en' : 'nl';
document.documentElement.lang = current;

export const language = () => current;

export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'nl';
  localStorage.setItem('inbeeld.lang', current);
  document.documentElement.lang = current;
}

export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.nl[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** A sentence for an API error: our translation of its code, or the server's message. */
export function errorText(error) {
  const key = `error.${error?.code ?? (error?.name === 'OfflineError' ? 'offline' : 'unknown')}`;
  if (STRINGS[current][key]) return t(key);
  return error?.message || t('error.unknown');
}
