/**
 * Wall-clock times of day ("HH:MM") and windows between them. Pure.
 */
import * as z from 'zod';

/** "HH:MM", 24-hour. */
export const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

/** Minutes since local midnight. */
export type LocalTime = number;

/** "20:30" → 1230. The input must already be validated by {@link LocalTimeSchema}. */
export function parseLocalTime(hhmm: string): LocalTime {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** 1230 → "20:30". */
export function formatLocalTime(minutes: LocalTime): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * Whether `t` lies in the window [start, end). A window whose end is before its start wraps
 * midnight (21:00–08:00); an empty window (start = end) contains nothing.
 */
export function isInsideWindow(t: LocalTime, start: LocalTime, end: LocalTime): boolean {
  if (start === end) return false;
  return start < end ? t >= start && t < end : t >= start || t < end;
}
