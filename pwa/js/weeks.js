// ISO weeks as the rota and the figures name them: "Week 49 · 30 nov – 6 dec".

import { addDays } from './dom.js';
import { t } from './i18n.js';

/** The ISO week of a YYYY-MM-DD day: { year, week }. */
export function isoWeek(day) {
  const d = new Date(`${day}T12:00:00Z`);
  const thursday = new Date(d);
  thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const year = thursday.getUTCFullYear();
  const january4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round(((thursday - january4) / 864e5 - 3 + ((january4.getUTCDay() + 6) % 7)) / 7);
  return { year, week };
}

/** 52 or 53: the week of 28 December is a year's last ISO week. */
export const weeksIn = (year) => isoWeek(`${year}-12-28`).week;

/** The Monday of the week a YYYY-MM-DD day lies in. */
export function mondayOf(day) {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** "30 nov": a day and the month's short name, without a year. */
export function dayMonth(day) {
  const months = t('weeks.months').split(',');
  return `${Number(day.slice(8, 10))} ${months[Number(day.slice(5, 7)) - 1]}`;
}

/** "Week 49 · 30 nov – 6 dec" for the week starting on `monday`. */
export function weekLabel(monday) {
  return t('weeks.label', { week: isoWeek(monday).week, from: dayMonth(monday), to: dayMonth(addDays(monday, 6)) });
}

/** "W49": a short label for a week on a chart axis. */
export const shortWeek = (monday) => t('weeks.short', { week: isoWeek(monday).week });
