/**
 * The coach's week as CSV (`GET /api/summaries/export`). Apart from `summaries.ts` so that
 * papaparse (about 21 KB minified) is bundled only by the function that writes CSV, not by every
 * function that reads the week (the hourly week close among them).
 */
import Papa from 'papaparse';
import { csvRows } from '../domain/summary.js';
import type { Deps } from '../ports.js';
import { listWeekSummaries } from './summaries.js';

/**
 * The week as CSV, one row per participant-question, without annotations. Cells starting with
 * `=`, `+`, `-`, `@`, tab or carriage return are prefixed with `'` so a spreadsheet shows them as
 * text instead of running them as formulas.
 */
export async function weekCsv(
  deps: Pick<Deps, 'participants' | 'summaries' | 'clock'>,
  coachId: string,
  week?: string,
): Promise<{ week: string; csv: string }> {
  const listed = await listWeekSummaries(deps, coachId, week);
  const csv = Papa.unparse(csvRows(listed.summaries), { escapeFormulae: true, delimiter: ',' });
  return { week: listed.week, csv };
}
