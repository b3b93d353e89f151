/**
 * The cohort report: one program's week across participants, k-anonymous as the API serves it
 * (no names, no free text; a group under five is suppressed).
 */
import { api } from '../api';
import { appNow, currentWeek, shiftWeek } from '../time';
import { Bars, num, pct, Show, useLoad } from '../ui';

export function CohortPage(props: { query: URLSearchParams }) {
  const [programs] = useLoad(() => api.listPrograms().then((r) => r.programs), []);
  const week =
    props.query.get('w') ?? currentWeek(appNow(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  const programId =
    props.query.get('program') ?? (programs.state === 'ok' ? programs.data[0]?.id : undefined);
  const [report] = useLoad(
    () => (programId ? api.cohortReport(programId, week) : Promise.resolve(undefined)),
    [week, programId],
  );
  const to = (w: string, p: string | undefined) =>
    `#/cohort?w=${w}${p ? `&program=${encodeURIComponent(p)}` : ''}`;
  return (
    <section>
      <div class="page-head">
        <h1>Cohort report</h1>
        <form class="week-picker" onSubmit={(e) => e.preventDefault()}>
          <a class="button secondary" href={to(shiftWeek(week, -1), programId)} aria-label="Previous week">
            ←
          </a>
          <label class="sr-only" for="cohort-week">
            Week
          </label>
          <input
            id="cohort-week"
            type="week"
            value={week}
            onChange={(e) => {
              location.hash = to(e.currentTarget.value, programId);
            }}
          />
          <a class="button secondary" href={to(shiftWeek(week, 1), programId)} aria-label="Next week">
            →
          </a>
          <label class="sr-only" for="cohort-program">
            Program
          </label>
          <select
            id="cohort-program"
            value={programId}
            onChange={(e) => {
              location.hash = to(week, e.currentTarget.value);
            }}
          >
            {programs.state === 'ok'
              ? programs.data.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))
              : null}
          </select>
        </form>
      </div>
      <p class="muted">Anonymous: no names, no free text; groups under 5 people are not shown.</p>
      <Show value={report} what="the cohort report">
        {(r) =>
          !r ? (
            <p class="muted">Create a program first.</p>
          ) : r.suppressed ? (
            <p class="card">
              Fewer than 5 participants answered in this group ({r.week}): figures are withheld to keep
              everyone anonymous.
            </p>
          ) : (
            <div class="card">
              <p>
                {r.participants} participants · response rate {pct(r.responseRate)}
              </p>
              {r.questions.map((q) =>
                // A question fewer than 5 people answered comes without figures (distribution null).
                q.suppressed || !q.distribution ? (
                  <p key={q.key} class="muted">
                    {q.text}: fewer than 5 participants answered; not shown.
                  </p>
                ) : (
                  <figure key={q.key} class="q-chart">
                    <figcaption>
                      {q.text}{' '}
                      <span class="muted small">
                        average {num(q.average)} · {q.count} answers
                      </span>
                    </figcaption>
                    <Bars
                      label={q.text}
                      // Buckets are values ("7") or merged ranges ("3–5"), ordered by their lowest value.
                      data={Object.entries(q.distribution).sort(
                        ([a], [b]) => Number.parseFloat(a) - Number.parseFloat(b) || a.localeCompare(b),
                      )}
                    />
                  </figure>
                ),
              )}
            </div>
          )
        }
      </Show>
    </section>
  );
}
