/**
 * The coach's week: live weekly summaries (a coach's whole week in one paginated query), a
 * participant's history, private annotations, the anonymised cohort report and the hourly week
 * close that emails each coach once per week. The CSV export is in `summaries-csv.ts`, so that
 * only its function bundles the CSV writer.
 */

import type { ContactState } from '../domain/channel.js';
import { dashboardWeekUrl } from '../domain/links.js';
import { addressOf, type Participant, viewStatus } from '../domain/participant.js';
import type { Program } from '../domain/program.js';
import type { Prompt } from '../domain/prompt.js';
import { reportCardOf } from '../domain/report-card.js';
import {
  type CohortReport,
  cohortReport,
  compareSummaries,
  isoWeekOf,
  type SummaryRecord,
  summarize,
  type WeekSummary,
  weekBefore,
  weekBounds,
} from '../domain/summary.js';
import { logger } from '../logger.js';
import type { Deps } from '../ports.js';
import { ownParticipant } from './ownership.js';

/**
 * Weeks read before the one shown: the previous week gives each question's change, and the streak
 * counts back through all of them (a streak longer than this shows as this many weeks' worth).
 */
export const SUMMARY_LOOKBACK_WEEKS = 3;

/** The week shown when none is asked for: the current ISO week (UTC). */
export function currentWeek(now: Date, zone = 'UTC'): string {
  return isoWeekOf(now, zone);
}

const contactId = (channel: string, address: string) => `${channel}#${address}`;

/** Summaries of the week for the coach's participants, flagged first, then by name. */
export async function listWeekSummaries(
  deps: Pick<Deps, 'participants' | 'summaries' | 'clock'>,
  coachId: string,
  week?: string,
): Promise<{ week: string; summaries: WeekSummary[] }> {
  const now = deps.clock.now();
  const shown = week ?? currentWeek(now);
  const [{ items: participants, stateless }, records] = await Promise.all([
    deps.participants.listForCoach(coachId),
    deps.summaries.listForCoach(coachId, weekBefore(shown, SUMMARY_LOOKBACK_WEEKS), shown),
  ]);
  // Only enrolments whose address may have said no (or bounced) need its state: for a coach
  // whose participants never did, the week is these two queries and nothing else.
  const addresses = participants.flatMap((p) => {
    if (stateless?.has(p.id)) return [];
    const address = addressOf(p, p.channel);
    return address ? [{ channel: p.channel, address }] : [];
  });
  const contacts = new Map<string, ContactState>(
    (addresses.length ? await deps.summaries.contactStates(addresses) : []).map((c) => [
      contactId(c.channel, c.address),
      c,
    ]),
  );
  const byParticipant = new Map<string, SummaryRecord[]>();
  for (const r of records)
    byParticipant.set(r.participantId, [...(byParticipant.get(r.participantId) ?? []), r]);
  const summaries = participants.map((p) => {
    const own = byParticipant.get(p.id) ?? [];
    const address = addressOf(p, p.channel);
    const contact = address ? contacts.get(contactId(p.channel, address)) : undefined;
    return summaryOf(p, viewStatus(p, contact), shown, now, own);
  });
  return { week: shown, summaries: summaries.sort(compareSummaries) };
}

/** The coach's week as a lookup (pushes fill `{{streak}}` and `{{weekAverage}}` from it). */
export function weekLookup(deps: Pick<Deps, 'participants' | 'summaries' | 'clock'>) {
  return async (coachId: string, week: string): Promise<WeekSummary[]> =>
    (await listWeekSummaries(deps, coachId, week)).summaries;
}

function summaryOf(
  p: Participant,
  status: WeekSummary['status'],
  week: string,
  now: Date,
  records: readonly SummaryRecord[],
): WeekSummary {
  const current = records.find((r) => r.week === week);
  return summarize({
    participant: {
      id: p.id,
      name: p.name,
      channel: p.channel,
      timeZone: p.timeZone,
      programId: p.programId,
      status,
      unreadMessages: p.unreadMessages ?? 0,
      needsHuman: (p.unreadUrgent ?? 0) > 0,
    },
    week,
    now,
    ...(current ? { current } : {}),
    earlier: records.filter((r) => r.week < week),
  });
}

/** A participant's last `weeks` weeks (their zone), newest first; weeks before enrolment are left out. */
export async function participantSummaries(
  deps: Pick<Deps, 'participants' | 'summaries' | 'contacts' | 'clock'>,
  coachId: string,
  participantId: string,
  weeks: number,
): Promise<WeekSummary[]> {
  const participant = await ownParticipant(deps, coachId, participantId);
  const now = deps.clock.now();
  const newest = isoWeekOf(now, participant.timeZone);
  const address = addressOf(participant, participant.channel);
  const [records, contact] = await Promise.all([
    deps.summaries.listForParticipant(
      participantId,
      weekBefore(newest, weeks - 1 + SUMMARY_LOOKBACK_WEEKS),
      newest,
    ),
    address ? deps.contacts.get(participant.channel, address) : undefined,
  ]);
  const status = viewStatus(participant, contact);
  const out: WeekSummary[] = [];
  for (let i = 0; i < weeks; i++) {
    const week = weekBefore(newest, i);
    if (weekBounds(week, participant.timeZone).end.toISOString() <= participant.createdAt) break;
    out.push(
      summaryOf(
        participant,
        status,
        week,
        now,
        records.filter((r) => r.week <= week && r.week >= weekBefore(week, SUMMARY_LOOKBACK_WEEKS)),
      ),
    );
  }
  return out;
}

/** Stores the coach's private note on a participant-week ('' removes it). */
export async function annotateWeek(
  deps: Pick<Deps, 'participants' | 'summaries'>,
  coachId: string,
  participantId: string,
  week: string,
  text: string,
): Promise<{ week: string; annotation: string | null }> {
  const participant = await ownParticipant(deps, coachId, participantId);
  await deps.summaries.annotate(participant, week, text);
  return { week, annotation: text || null };
}

/** Who asks for a cohort report: a coach sees their own participants, an admin the deployment. */
export interface Viewer {
  readonly coachId: string;
  readonly admin: boolean;
}

/** The anonymised report of a program's week (k-anonymity, no names, no free text, no notes). */
export async function cohort(
  deps: Pick<Deps, 'summaries' | 'clock'>,
  viewer: Viewer,
  programId: string,
  week?: string,
): Promise<CohortReport> {
  const shown = week ?? currentWeek(deps.clock.now());
  const coaches = viewer.admin
    ? [...new Set([...(await deps.summaries.coachesOfWeek(shown)), viewer.coachId])]
    : [viewer.coachId];
  const records = (
    await Promise.all(coaches.map((c) => deps.summaries.listForCoach(c, shown, shown)))
  ).flat();
  return cohortReport(
    shown,
    programId,
    records.filter((r) => r.programId === programId),
  );
}

/** What closing weeks did. */
export interface CloseWeeksResult {
  readonly closed: number;
  readonly emailed: number;
  /** Report cards written for participants (each goes out through the send path, once). */
  readonly reportCards: number;
}

/**
 * Writes the report card of each participant who was sent check-ins in the closed week, unless
 * their program switched report cards off. Each is a send record keyed by the participant and the
 * week's end in their zone, created only if absent, so a rerun (or a concurrent run) of the close
 * writes nothing twice; it waits in the due index, and the dispatcher and sender take it from there
 * (quiet hours, opt-out and pauses are theirs to apply). Returns how many were written now.
 */
async function writeReportCards(
  deps: Pick<Deps, 'summaries' | 'participants' | 'programs' | 'prompts' | 'clock'>,
  coachId: string,
  week: string,
  summaries: readonly WeekSummary[],
  now: Date,
): Promise<number> {
  const due = summaries.filter((s) => s.sent > 0 && s.programId !== null);
  if (due.length === 0) return 0;
  const previous = new Map(
    (await listWeekSummaries(deps, coachId, weekBefore(week))).summaries.map((s) => [s.participantId, s]),
  );
  const programs = new Map<string, Promise<Program | undefined>>();
  const programOf = (id: string) => {
    const known = programs.get(id) ?? deps.programs.getById(id);
    programs.set(id, known);
    return known;
  };
  let written = 0;
  // A few at a time: a coach's participants are tens to hundreds.
  for (let i = 0; i < due.length; i += 16) {
    const created = await Promise.all(
      due.slice(i, i + 16).map(async (summary) => {
        const program = await programOf(summary.programId ?? '');
        if (!program || program.reportCard === false) return false;
        const record: Prompt = {
          participantId: summary.participantId,
          scheduledFor: weekBounds(week, summary.timeZone).end.toISOString(),
          kind: 'report',
          channel: summary.channel,
          programId: program.id,
          questions: [],
          status: 'queued',
          attempts: 0,
          createdAt: now.toISOString(),
          sendAt: now.toISOString(),
          report: reportCardOf(summary, previous.get(summary.participantId)),
        };
        return (await deps.prompts.create(record)).created;
      }),
    );
    written += created.filter(Boolean).length;
  }
  return written;
}

/** The coach's "summaries ready" email. */
export function weekReadyEmail(week: string, ready: number, attention: number, dashboardUrl: string) {
  const summaries = `${ready} ${ready === 1 ? 'summary' : 'summaries'} ready`;
  const need = attention ? `, ${attention} ${attention === 1 ? 'needs' : 'need'} attention` : '';
  const subject = `${summaries}${need} (week ${week})`;
  const text = `Week ${week}: ${summaries}${need}.\n\nRead them and write this week's pushes:\n${dashboardUrl}\n`;
  const html =
    `<p>Week ${week}: <strong>${summaries}</strong>${need}.</p>` +
    `<p><a href="${dashboardUrl}">Read them and write this week's pushes</a></p>`;
  return { subject, text, html };
}

/**
 * Hourly: closes every coach-week that has ended (plus grace) in its participants' zones, writes
 * each participant's report card and emails the coach once. The week is marked closed before the email goes out, so a rerun or a
 * concurrent run never sends it twice (at worst, a failed send is not retried). Reads only the
 * small index of open weeks and each closing coach's week, never the whole table.
 */
export async function closeWeeks(
  deps: Pick<Deps, 'summaries' | 'participants' | 'programs' | 'prompts' | 'coaches' | 'email' | 'clock'> & {
    /** The coach dashboard's address, ending in `/` (its CloudFront URL on AWS). */
    readonly dashboardUrl: string;
  },
): Promise<CloseWeeksResult> {
  const now = deps.clock.now();
  let closed = 0;
  let emailed = 0;
  let reportCards = 0;
  for (const { coachId, week } of await deps.summaries.dueWeeks(now)) {
    const { summaries } = await listWeekSummaries(deps, coachId, week);
    const ready = summaries.filter((s) => s.sent > 0);
    const attention = ready.filter((s) => s.flags.length > 0).length;
    // Before the week is marked closed: a run that dies here leaves it open, and the next run's
    // conditional writes skip the cards already written.
    reportCards += await writeReportCards(deps, coachId, week, summaries, now);
    if (!(await deps.summaries.closeWeek(coachId, week, now.toISOString()))) continue;
    closed++;
    const coach = await deps.coaches.get(coachId);
    if (!coach?.email) {
      logger.warn('week closed without an email: the coach has no address on file', { coachId, week });
      continue;
    }
    // The dashboard's own route for a week, so the link opens the week that closed.
    const url = dashboardWeekUrl(deps.dashboardUrl, week);
    await deps.email.send({ to: coach.email, ...weekReadyEmail(week, ready.length, attention, url) });
    emailed++;
    logger.info('week closed, coach emailed', { coachId, week, ready: ready.length, attention });
  }
  return { closed, emailed, reportCards };
}
