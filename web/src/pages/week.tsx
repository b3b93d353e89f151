/**
 * "This week": every participant's week on one screen, flagged first — one request for the whole
 * list (`GET /api/summaries`), however many participants the coach has.
 */

import { useState } from 'preact/hooks';
import { weekRoute } from '../../../shared/domain/links.js';
import { actionKeys, api, NotAvailableError } from '../api';
import { claimOf, session } from '../auth';
import { go, href } from '../router';
import { PUSH_FIELDS, PUSH_MAX_LENGTH, recipientCost, unknownFieldsProblem, usd } from '../sms';
import { ago, appNow, currentWeek, shiftWeek } from '../time';
import type { BulkResult, Participant, PushTemplate, Summary } from '../types';
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
    const res = await api.weekSummaries(week);
    return { kind: 'summaries', ...res };
  } catch (error) {
    if (!(error instanceof NotAvailableError)) throw error;
    // Without summaries on the server, still show who is enrolled (one page of up to 200).
    const res = await api.listParticipants();
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
      const csv = await api.weekCsv(week);
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
          <a class="button secondary" href={weekRoute(shiftWeek(week, -1))} aria-label="Previous week">
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
              if (/^\d{4}-W\d{2}$/u.test(v)) location.hash = weekRoute(v);
            }}
          />
          <a class="button secondary" href={weekRoute(shiftWeek(week, 1))} aria-label="Next week">
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
      <BulkPush
        week={week}
        {...(data.state === 'ok' && data.data.kind === 'summaries' ? { summaries: data.data.summaries } : {})}
      />
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
  const withoutPush = props.summaries.filter((s) => s.push === 'none');
  return (
    <>
      <p class="muted">
        {props.summaries.length} participant{props.summaries.length === 1 ? '' : 's'} · {flagged} need
        attention
        {props.summaries.some((s) => s.push) ? ` · ${withoutPush.length} without a push` : ''}
      </p>
      <NextWithoutPush week={props.week} list={withoutPush} />
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
                  <StatusBadge status={s.status} /> <Flags flags={s.flags} /> <PushBadge s={s} />
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

const PUSH_LABELS = {
  sent: 'push sent',
  scheduled: 'push scheduled',
  skipped: 'push skipped',
  none: 'no push yet',
} as const;

/** Whether the week's push is sent, scheduled, skipped (opted out, bouncing) or not written. */
function PushBadge(props: { s: Summary }) {
  const { push, pushAt } = props.s;
  if (!push) return null;
  return (
    <span
      class={`badge push-${push}`}
      data-testid="push-status"
      {...(pushAt ? { title: new Date(pushAt).toLocaleString() } : {})}
    >
      {PUSH_LABELS[push]}
    </span>
  );
}

const lastVisitedKey = (week: string) => `nanocoach.next-push.${week}`;

/**
 * Walks the coach through the week's participants who have no push yet, in the table's order:
 * each press opens the next one after the last it opened (wrapping round), so one the coach
 * decides to leave without a push does not block the rest.
 */
function NextWithoutPush(props: { week: string; list: Summary[] }) {
  if (props.list.length === 0) return null;
  const next = () => {
    const last = sessionStorage.getItem(lastVisitedKey(props.week));
    const at = props.list.findIndex((s) => s.participantId === last);
    const target = props.list[(at + 1) % props.list.length] ?? props.list[0];
    if (!target) return;
    sessionStorage.setItem(lastVisitedKey(props.week), target.participantId);
    go(`${href('p', target.participantId)}?w=${props.week}`);
  };
  return (
    <button type="button" class="secondary" data-testid="next-without-push" onClick={next}>
      Next without a push ({props.list.length})
    </button>
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

/** Who a bulk push reaches, as the server picks them: the active ones, or those flagged too. */
function recipientsOf(summaries: readonly Summary[], to: 'flagged' | 'all'): Summary[] {
  return summaries.filter((s) => s.status === 'active' && (to === 'all' || s.flags.length > 0));
}

/**
 * Each recipient's message as they get it (fields filled in the way the server fills them), its
 * SMS segments and an estimated cost, or why it cannot go: recomputed as the coach types.
 */
function RecipientCosts(props: { text: string; recipients: Summary[] }) {
  if (!props.text.trim() || props.recipients.length === 0) return null;
  const coachName = claimOf(session()?.token ?? '', 'name');
  const rows = props.recipients.map((s) => ({ s, ...recipientCost(props.text, s, coachName) }));
  const segments = rows.reduce((n, r) => n + (r.check.ok ? r.check.segments : 0), 0);
  const total = rows.reduce((n, r) => n + r.usd, 0);
  return (
    <>
      <p class="muted small" data-testid="bulk-total">
        {rows.length} recipient{rows.length === 1 ? '' : 's'} · {segments} SMS segment
        {segments === 1 ? '' : 's'} in all · about {usd(total)}
      </p>
      <div class="table-wrap">
        <table class="recipients" data-testid="bulk-recipients" aria-live="polite">
          <thead>
            <tr>
              <th scope="col">Recipient</th>
              <th scope="col">Segments</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ s, check, sms, usd: price }) => (
              <tr key={s.participantId} data-testid="bulk-recipient" class={check.ok ? '' : 'refused'}>
                <td>{s.name}</td>
                {check.ok ? (
                  <>
                    <td>{sms ? `${check.segments} (${sms.encoding})` : 'email'}</td>
                    <td>{sms ? usd(price) : '-'}</td>
                  </>
                ) : (
                  <td colSpan={2} class="error">
                    Too long: {check.error}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * One message, its fields filled in per participant, to the flagged (or all active) participants
 * of the week shown. Folded by default; the templates load when it is first opened, so "This
 * week" itself still makes one request. Each send carries its own `Idempotency-Key`.
 */
function BulkPush(props: { week: string; summaries?: Summary[] }) {
  const [templates, setTemplates] = useState<Loaded<readonly PushTemplate[]>>();
  const [template, setTemplate] = useState('');
  const [text, setText] = useState('');
  const [to, setTo] = useState<'flagged' | 'all'>('flagged');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [refused, setRefused] = useState<BulkResult['recipients']>([]);
  const [error, setError] = useState<string>();
  const [keys] = useState(actionKeys);

  const open = (event: Event) => {
    if (!(event.currentTarget as HTMLDetailsElement).open || templates) return;
    setTemplates({ state: 'loading' });
    api.pushTemplates().then(
      (r) => setTemplates({ state: 'ok', data: r.templates }),
      (e: unknown) => setTemplates(loadError(e)),
    );
  };
  const pick = (id: string) => {
    setTemplate(id);
    const chosen = templates?.state === 'ok' ? templates.data.find((t) => t.id === id) : undefined;
    if (chosen) setText(chosen.text);
  };
  const unknownFields = unknownFieldsProblem(text);
  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    setRefused([]);
    // A template's [brackets] left in would reach every participant as they are.
    if (/\[[^\]]+\]/u.test(text)) return setError('Replace the [brackets] of the template first.');
    if (unknownFields) return setError(`Message: ${unknownFields}.`);
    setBusy(true);
    try {
      const body = { text, to, week: props.week };
      const r = await api.bulkPush(body, keys.for(body));
      keys.done();
      setResult(`Queued ${r.queued}, skipped ${r.skipped}${r.refused ? `, refused ${r.refused}` : ''}.`);
      setRefused(r.recipients.filter((x) => x.status === 'refused'));
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
          hint="Fields are filled in for each participant; replace the [brackets]."
        >
          <textarea
            id="bulk-text"
            required
            maxLength={PUSH_MAX_LENGTH}
            rows={4}
            aria-describedby="bulk-text-hint"
            {...(unknownFields ? { 'aria-invalid': 'true' } : {})}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </Field>
        <fieldset class="fields">
          <legend class="sr-only">Insert a field</legend>
          {PUSH_FIELDS.map((f) => (
            <button
              key={f}
              type="button"
              class="secondary small"
              onClick={() => setText((t) => `${t}{{${f}}}`.slice(0, PUSH_MAX_LENGTH))}
            >
              {`{{${f}}}`}
            </button>
          ))}
        </fieldset>
        <p class="muted small">
          {[...text].length}/{PUSH_MAX_LENGTH} characters
        </p>
        {unknownFields ? (
          <p class="error" role="alert" data-testid="bulk-unknown-fields">
            {unknownFields}
          </p>
        ) : null}
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
        {props.summaries ? (
          <RecipientCosts text={text} recipients={recipientsOf(props.summaries, to)} />
        ) : null}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || unknownFields !== undefined}>
          Send to {to === 'flagged' ? 'the flagged' : 'all'}
        </button>{' '}
        <span role="status" class="muted" data-testid="bulk-result">
          {result}
        </span>
        {refused.length ? (
          <ul class="plain error" data-testid="bulk-refused">
            {refused.map((r) => (
              <li key={r.participantId}>
                {r.name}: {r.error}
              </li>
            ))}
          </ul>
        ) : null}
      </form>
    </details>
  );
}
