/**
 * "This week": every participant's week on one screen, flagged first — one request for the whole
 * list (`GET /api/summaries`), however many participants the coach has.
 */

import { useState } from 'preact/hooks';
import { get, getText, NotAvailableError, post } from '../api';
import { href } from '../router';
import { ago, appNow, currentWeek, shiftWeek } from '../time';
import type { Participant, Summary } from '../types';
import {
  errorText,
  Field,
  Flags,
  type Loaded,
  loadError,
  num,
  pct,
  Show,
  Sparkline,
  StatusBadge,
  useLoad,
} from '../ui';

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
      <BulkPush week={week} />
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
                  {s.unreadMessages ? (
                    <a class="badge unread-badge" href={href('p', s.participantId)} data-testid="unread">
                      {s.unreadMessages} unread
                    </a>
                  ) : null}
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

/** A push template as `GET /api/push-templates` lists it. */
interface PushTemplate {
  id: string;
  name: string;
  text: string;
  hint?: string;
}

/**
 * One message, personalised with `{{firstName}}`, to the flagged (or all active) participants of
 * the week shown. Folded by default; the templates load when it is first opened, so "This week"
 * itself still makes one request.
 */
function BulkPush(props: { week: string }) {
  const [templates, setTemplates] = useState<Loaded<PushTemplate[]>>();
  const [template, setTemplate] = useState('');
  const [text, setText] = useState('');
  const [to, setTo] = useState<'flagged' | 'all'>('flagged');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [error, setError] = useState<string>();

  const open = (event: Event) => {
    if (!(event.currentTarget as HTMLDetailsElement).open || templates) return;
    setTemplates({ state: 'loading' });
    get<{ templates: PushTemplate[] }>('/api/push-templates').then(
      (r) => setTemplates({ state: 'ok', data: r.templates }),
      (e: unknown) => setTemplates(loadError(e)),
    );
  };
  const pick = (id: string) => {
    setTemplate(id);
    const chosen = templates?.state === 'ok' ? templates.data.find((t) => t.id === id) : undefined;
    if (chosen) setText(chosen.text);
  };
  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    // A template's [brackets] left in would reach every participant as they are.
    if (/\[[^\]]+\]/u.test(text)) return setError('Replace the [brackets] of the template first.');
    setBusy(true);
    try {
      const r = await post<{ queued: number; skipped: number }>('/api/pushes/bulk', {
        text,
        to,
        week: props.week,
      });
      setResult(`Queued ${r.queued}, skipped ${r.skipped}.`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const hint = templates?.state === 'ok' ? templates.data.find((t) => t.id === template)?.hint : undefined;

  return (
    <details class="card bulk" onToggle={open}>
      <summary>Push to several participants</summary>
      <form onSubmit={send} aria-label="Bulk push">
        {templates?.state === 'ok' && templates.data.length > 0 ? (
          <Field label="Template" id="bulk-template" {...(hint ? { hint } : {})}>
            <select id="bulk-template" value={template} onChange={(e) => pick(e.currentTarget.value)}>
              <option value="">Write your own</option>
              {templates.data.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
        ) : templates?.state === 'error' || templates?.state === 'unavailable' ? (
          <p class="muted small">Templates could not be loaded; write the message yourself.</p>
        ) : null}
        <Field
          label="Message"
          id="bulk-text"
          hint="{{firstName}} becomes each participant's first name; replace the [brackets]."
        >
          <textarea
            id="bulk-text"
            required
            maxLength={320}
            rows={4}
            aria-describedby="bulk-text-hint"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </Field>
        <p class="muted small">{[...text].length}/320 characters</p>
        <fieldset>
          <legend>To</legend>
          <label>
            <input type="radio" name="bulk-to" checked={to === 'flagged'} onChange={() => setTo('flagged')} />{' '}
            Flagged in {props.week}
          </label>
          <label>
            <input type="radio" name="bulk-to" checked={to === 'all'} onChange={() => setTo('all')} /> All
            active participants
          </label>
        </fieldset>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          Send to {to === 'flagged' ? 'the flagged' : 'all'}
        </button>{' '}
        <span role="status" class="muted" data-testid="bulk-result">
          {result}
        </span>
      </form>
    </details>
  );
}
