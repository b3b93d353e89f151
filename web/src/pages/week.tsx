/**
 * "This week": every participant's week on one screen, flagged first — one request for the whole
 * list (`GET /api/summaries`), however many participants the coach has.
 */

import { useState } from 'preact/hooks';
import { get, getText, NotAvailableError } from '../api';
import { href } from '../router';
import { ago, appNow, currentWeek, shiftWeek } from '../time';
import type { Participant, Summary } from '../types';
import { errorText, Flags, num, pct, Show, Sparkline, StatusBadge, useLoad } from '../ui';

type WeekData =
  | { kind: 'summaries'; week: string; summaries: Summary[] }
  | { kind: 'participants'; participants: Participant[] };

async function loadWeek(week: string | undefined): Promise<WeekData> {
  try {
    const res = await get<{ week: string; summaries: Summary[] }>(
      `/api/summaries${week ? `?week=${encodeURIComponent(week)}` : ''}`,
    );
    return { kind: 'summaries', ...res };
  } catch (error) {
    if (!(error instanceof NotAvailableError)) throw error;
    // Without summaries on the server, still show who is enrolled (one page of up to 200).
    const res = await get<{ participants: Participant[] }>('/api/participants?limit=200');
    return { kind: 'participants', participants: res.participants };
  }
}

export function ThisWeek(props: { query: URLSearchParams }) {
  const chosen = props.query.get('w') ?? undefined;
  const [data] = useLoad(() => loadWeek(chosen), [chosen]);
  const shown = data.state === 'ok' && data.data.kind === 'summaries' ? data.data.week : chosen;
  const week = shown ?? currentWeek(appNow(), Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [csvError, setCsvError] = useState<string>();

  const downloadCsv = async () => {
    setCsvError(undefined);
    try {
      const csv = await getText(`/api/summaries.csv?week=${encodeURIComponent(week)}`);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `summaries-${week}.csv`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setCsvError(errorText(e));
    }
  };

  return (
    <section>
      <div class="page-head">
        <h1>This week</h1>
        <form class="week-picker" aria-label="Week" onSubmit={(e) => e.preventDefault()}>
          <a class="button secondary" href={`#/week?w=${shiftWeek(week, -1)}`} aria-label="Previous week">
            ←
          </a>
          <label class="sr-only" for="week">
            Week
          </label>
          <input
            id="week"
            type="week"
            value={week}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (/^\d{4}-W\d{2}$/u.test(v)) location.hash = `#/week?w=${v}`;
            }}
          />
          <a class="button secondary" href={`#/week?w=${shiftWeek(week, 1)}`} aria-label="Next week">
            →
          </a>
          <button type="button" class="secondary" onClick={downloadCsv}>
            CSV
          </button>
        </form>
      </div>
      {csvError ? (
        <p class="error" role="alert">
          CSV export: {csvError}
        </p>
      ) : null}
      <Show value={data} what="this week">
        {(d) =>
          d.kind === 'summaries' ? (
            <SummaryTable week={d.week} summaries={d.summaries} />
          ) : (
            <Fallback list={d.participants} />
          )
        }
      </Show>
    </section>
  );
}

function SummaryTable(props: { week: string; summaries: Summary[] }) {
  const [filter, setFilter] = useState('');
  if (props.summaries.length === 0)
    return (
      <p class="empty">
        No participants yet. <a href="#/participants">Enrol someone</a> to see their week here.
      </p>
    );
  const needle = filter.trim().toLowerCase();
  const rows = needle
    ? props.summaries.filter((s) => s.name.toLowerCase().includes(needle))
    : props.summaries;
  const flagged = props.summaries.filter((s) => s.flags.length > 0).length;
  return (
    <>
      <p class="muted">
        {props.summaries.length} participant{props.summaries.length === 1 ? '' : 's'} · {flagged} need
        attention
      </p>
      <label class="sr-only" for="week-filter">
        Filter by name
      </label>
      <input
        id="week-filter"
        class="filter"
        type="search"
        placeholder="Filter by name"
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
      />
      <div class="table-wrap">
        <table class="summaries">
          <thead>
            <tr>
              <th scope="col">Participant</th>
              <th scope="col">Answered</th>
              <th scope="col">Questions</th>
              <th scope="col">Last reply</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.participantId} class={s.flags.length ? 'flagged' : ''} data-testid="summary-row">
                <td>
                  <a href={`${href('p', s.participantId)}?w=${props.week}`}>{s.name}</a>{' '}
                  <StatusBadge status={s.status} /> <Flags flags={s.flags} />
                  <div class="muted small">
                    {s.channel.toUpperCase()} · streak {s.streak}
                    {s.annotation ? ' · noted' : ''}
                  </div>
                </td>
                <td>
                  {pct(s.responseRate)}
                  <div class="muted small">
                    {s.answered}/{s.sent}
                  </div>
                </td>
                <td>
                  <ul class="q-sparks">
                    {s.questions.map((q) => (
                      <li key={q.key}>
                        {q.type === 'text' ? (
                          <span class="muted small">{q.count} text</span>
                        ) : (
                          <Sparkline
                            values={q.values.map((v) => v.value)}
                            label={q.text}
                            {...(q.type === 'scale' && q.min !== null && q.max !== null
                              ? { min: q.min, max: q.max }
                              : {})}
                            {...(q.type === 'yes-no' ? { min: 0, max: 1 } : {})}
                          />
                        )}
                        <span class="q-avg" title={q.text}>
                          {q.type === 'yes-no' ? pct(q.yesShare) : num(q.average)}
                          {q.change !== null && q.change !== 0 ? (
                            <span class={q.change < 0 ? 'down' : 'up'}>
                              {q.change > 0 ? ' ▲' : ' ▼'}
                              {num(Math.abs(q.change))}
                            </span>
                          ) : null}
                        </span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{ago(s.lastAnswerAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Fallback(props: { list: Participant[] }) {
  return (
    <>
      <div class="unavailable" role="note">
        <strong>Weekly summaries: not available on this server yet.</strong> Showing your participants
        instead.
      </div>
      <ul class="plain">
        {props.list.map((p) => (
          <li key={p.id}>
            <a href={href('p', p.id)}>{p.name}</a> <StatusBadge status={p.status} />
          </li>
        ))}
      </ul>
    </>
  );
}
