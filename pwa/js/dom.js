// Building DOM without innerHTML: every alias and note becomes a text node, never markup.

/**
 * h('button', { class: 'primary', on: { click: fn }, 'aria-label': '…' }, 'text', child)
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else {
      el.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** `h` for SVG elements (charts): svg('rect', { x: 1, class: 'chart-bar' }, child). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** "‹ Terug"-style link to the screen above, a whole tap high. */
export function backLink(href, label) {
  return h('p', {}, h('a', { href, class: 'back' }, `‹ ${label}`));
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Formats an RFC 3339 time from the server as local day and time. */
export function formatDateTime(text, lang) {
  if (!text) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(text));
}

/** A YYYY-MM-DD day as Dutch people write it: 12 feb 2026. */
export function formatDate(day, lang) {
  if (!day) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
  }).format(new Date(`${day}T12:00:00Z`));
}

export function formatTime(text, lang) {
  if (!text) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam',
  }).format(new Date(text));
}

/**
 * When she was last seen, complete: the day with its year and how long ago, e.g.
 * "12 feb 2026, 290 dagen geleden" ("vandaag", "gisteren" when so).
 */
export function formatSeen(text, lang) {
  if (!text) return '';
  const day = localDate(new Date(text));
  const days = Math.round((Date.parse(`${localDate()}T12:00:00Z`) - Date.parse(`${day}T12:00:00Z`)) / 86400000);
  const ago = new Intl.RelativeTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { numeric: 'auto' }).format(-days, 'day');
  return `${formatDate(day, lang)}, ${ago}`;
}

/** A figure as Dutch people write it: 5,7 and 1.234; a text such as "<5" as it is. */
export function formatNumber(value, lang) {
  if (typeof value !== 'number') return String(value ?? '');
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 }).format(value);
}

/** An amount in euro cents as Dutch money, e.g. € 12,50. */
export function formatEuro(cents) {
  return new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** Today's date in Amsterdam as YYYY-MM-DD, whatever the phone's own zone. */
export function localDate(date = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(date);
}

/** A moment as Amsterdam's wall clock, as a datetime-local input shows it: 2026-11-30T21:05. */
export function wallTime(date = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day, days) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
