/**
 * One participant: status and pause, 8 weeks of charts per question (experiments included), the
 * week's annotation, the push and exercise composer, pushes sent, personal experiments and the
 * reply timeline. Everything a participant wrote is rendered as text, never as HTML.
 */
import { useState } from 'preact/hooks';
import { actionKeys, api } from '../api';
import { EditParticipant } from '../edit-participant';
import { go } from '../router';
import { SmsCounter } from '../sms-counter';
import { appNow, currentWeek, formatLocal, localParts, zonedToUtc } from '../time';
import type { Answer, Participant, Push, Question, Summary } from '../types';
import { errorText, Field, Flags, type Loaded, num, pct, Show, StatusBadge, useLoad, WeekChart } from '../ui';
import { Conversation } from './conversation';

const WEEK = /^\d{4}-W\d{2}$/u;

/** `#/p/{id}?w=2026-W48`: the week the coach came from (its note is the one edited). */
export function ParticipantPage(props: { parts: string[]; query: URLSearchParams }) {
  const id = props.parts[0] ?? '';
  const chosen = props.query.get('w') ?? '';
  const [participant, reloadParticipant] = useLoad(() => api.getParticipant(id), [id]);
  const [summaries, reloadSummaries] = useLoad(
    () => api.participantSummaries(id, 8).then((r) => r.summaries),
    [id],
  );
  return (
    <Show value={participant} what="the participant">
      {(p) => (
        <section class="participant">
          <Header p={p} onChange={reloadParticipant} />
          <EditParticipant key={p.id} p={p} onSaved={reloadParticipant} />
          <div class="grid">
            <div>
              <Weeks summaries={summaries} />
              <Annotation
                key={chosen}
                id={id}
                week={WEEK.test(chosen) ? chosen : currentWeek(appNow(), p.timeZone)}
                summaries={summaries}
                onSaved={reloadSummaries}
              />
            </div>
            <div>
              <Composer p={p} {...(WEEK.test(chosen) ? { week: chosen } : {})} />
              <Experiments id={id} tz={p.timeZone} />
            </div>
          </div>
          <Conversation p={p} />
          <Timeline id={id} tz={p.timeZone} />
          <DataRights p={p} />
        </section>
      )}
    </Show>
  );
}

function Header(props: { p: Participant; onChange: () => void }) {
  const { p } = props;
  const [until, setUntil] = useState('');
  const [message, setMessage] = useState<string>();
  // One request for the name of the program (the coach's own and the built-in ones).
  const [programs] = useLoad(() => api.listPrograms().then((r) => r.programs), []);
  const program =
    programs.state === 'ok' ? (programs.data.find((x) => x.id === p.programId)?.name ?? p.programId) : '';
  const act = async (what: 'pause' | 'resume') => {
    setMessage(undefined);
    try {
      await (what === 'pause' ? api.pauseParticipant(p.id, { until }) : api.resumeParticipant(p.id));
      props.onChange();
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <div class="card">
      <h1>
        {p.name} <StatusBadge status={p.status} />
      </h1>
      <p class="muted">
        {p.channel === 'sms' ? `SMS ${p.phone ?? ''}` : `Email ${p.email ?? ''}`} · {p.timeZone} · program{' '}
        <span data-testid="program-name">{program}</span>
        {p.pausedUntil ? ` · paused until ${p.pausedUntil}` : ''}
        {p.nextDueAt ? ` · next question ${formatLocal(p.nextDueAt, p.timeZone)}` : ''}
      </p>
      {p.status === 'pending' ? (
        <p class="muted">Waiting for the participant to reply YES to the opt-in message.</p>
      ) : null}
      {p.status === 'active' || p.status === 'paused' ? (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            void act('pause');
          }}
        >
          <Field label="Pause until (participant's date)" id="pause-until">
            <input
              id="pause-until"
              type="date"
              required
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          </Field>
          <button type="submit">Pause</button>
          {p.status === 'paused' ? (
            <button type="button" class="secondary" onClick={() => void act('resume')}>
              Resume now
            </button>
          ) : null}
        </form>
      ) : null}
      {message ? (
        <p class="error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}

function Weeks(props: { summaries: Loaded<Summary[]> }) {
  return (
    <div class="card">
      <h2>Last 8 weeks</h2>
      <Show value={props.summaries} what="weekly summaries">
        {(list) => {
          if (list.length === 0) return <p class="muted">No weeks yet.</p>;
          const weeks = [...list].reverse();
          const latest = list[0];
          const keys = new Map<string, { text: string; type: string; range?: [number, number] }>();
          for (const s of weeks)
            for (const q of s.questions)
              if (q.type !== 'text')
                keys.set(q.key, {
                  text: q.experimentId ? `Experiment: ${q.text}` : q.text,
                  type: q.type,
                  ...(q.type === 'scale' && q.min !== null && q.max !== null
                    ? { range: [q.min, q.max] }
                    : {}),
                  ...(q.type === 'yes-no' ? { range: [0, 1] } : {}),
                });
          return (
            <>
              {latest ? (
                <p>
                  {latest.week}: answered {latest.answered}/{latest.sent} ({pct(latest.responseRate)}), streak{' '}
                  {latest.streak} <Flags flags={latest.flags} />
                </p>
              ) : null}
              {[...keys].map(([key, q]) => (
                <figure key={key} class="q-chart">
                  <figcaption>{q.text}</figcaption>
                  <WeekChart
                    title={q.text}
                    labels={weeks.map((s) => s.week)}
                    values={weeks.map((s) => {
                      const found = s.questions.find((x) => x.key === key);
                      return (q.type === 'yes-no' ? found?.yesShare : found?.average) ?? null;
                    })}
                    {...(q.range ? { range: q.range } : {})}
                  />
                </figure>
              ))}
              {latest && (latest.comments.length > 0 || latest.texts.length > 0) ? (
                <>
                  <h3>Said this week</h3>
                  <ul class="said">
                    {latest.comments.map((c) => (
                      <li key={`c${c.scheduledFor}${c.questionIndex}`}>
                        <span class="muted small">{c.scheduledFor.slice(0, 10)}</span> {c.text}
                      </li>
                    ))}
                    {latest.texts.map((t) => (
                      <li key={`t${t.scheduledFor}${t.question}`}>
                        <span class="muted small">{t.question}</span> {t.text}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </>
          );
        }}
      </Show>
    </div>
  );
}

function Annotation(props: { id: string; week: string; summaries: Loaded<Summary[]>; onSaved: () => void }) {
  const { week } = props;
  const [text, setText] = useState<string>();
  const [status, setStatus] = useState<string>();
  if (props.summaries.state !== 'ok') return null;
  // The note already on that week, when it is among the weeks loaded.
  const saved = props.summaries.data.find((s) => s.week === week)?.annotation;
  const value = text ?? saved ?? '';
  const save = async (event: Event) => {
    event.preventDefault();
    setStatus(undefined);
    try {
      await api.annotateWeek(props.id, week, value);
      setStatus('Saved.');
      props.onSaved();
    } catch (e) {
      setStatus(errorText(e));
    }
  };
  return (
    <form class="card" onSubmit={save}>
      <h2>Private note for {week}</h2>
      <Field label="Annotation (only you see it)" id="annotation">
        <textarea
          id="annotation"
          maxLength={2000}
          rows={3}
          value={value}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      <button type="submit">Save note</button>{' '}
      <span role="status" class="muted">
        {status}
      </span>
    </form>
  );
}

const QUESTION_TYPES = ['scale', 'yes-no', 'number', 'text'] as const;

/** `week`: the week the coach came from ("This week" shows this push against it). */
function Composer(props: { p: Participant; week?: string }) {
  const { p } = props;
  const [keys] = useState(actionKeys);
  const [text, setText] = useState('');
  const [when, setWhen] = useState<When>('now');
  const [at, setAt] = useState('');
  const [exercise, setExercise] = useState<ExerciseDraft>({
    enabled: false,
    type: 'scale',
    text: '',
    followUpDays: 3,
  });
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const [pushes] = useLoad(() => api.listPushes(p.id).then((r) => r.pushes), [p.id, tick]);
  const blocked = p.status === 'opted_out' || p.status === 'bouncing';

  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setStatus(undefined);
    let sendAt: string | undefined;
    if (when === 'later') {
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/u.exec(at);
      if (!m) return setError('Choose a date and time to send at.');
      const [, y, mo, d, h, mi] = m.map(Number) as number[];
      sendAt = zonedToUtc(
        { year: y ?? 0, month: mo ?? 1, day: d ?? 1, hour: h ?? 0, minute: mi ?? 0 },
        p.timeZone,
      ).toISOString();
    }
    const body = {
      text,
      ...(props.week ? { week: props.week } : {}),
      ...(sendAt ? { sendAt } : {}),
      ...(exercise.enabled
        ? {
            exercise: {
              question: { type: exercise.type, text: exercise.text },
              followUpDays: exercise.followUpDays,
            },
          }
        : {}),
    };
    try {
      const push = await api.createPush(p.id, body, keys.for(body));
      keys.done();
      setStatus(
        `Push ${push.status === 'scheduled' ? `scheduled for ${formatLocal(push.sendAt, p.timeZone)}` : push.status}.`,
      );
      setText('');
      setTick((t) => t + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div class="card">
      <h2>Push</h2>
      {blocked ? (
        <p class="error">This participant cannot be reached ({p.status.replace('_', ' ')}).</p>
      ) : null}
      <MessageTemplate onCompose={setText} />
      <form onSubmit={send}>
        <Field label="Message" id="push-text">
          <textarea
            id="push-text"
            required
            maxLength={320}
            rows={4}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </Field>
        {p.channel === 'sms' ? (
          <SmsCounter text={text} />
        ) : (
          <p class="muted small">{[...text].length}/320 characters</p>
        )}
        <PushSchedule tz={p.timeZone} when={when} onWhen={setWhen} at={at} onAt={setAt} />
        <ExerciseFields value={exercise} onChange={setExercise} />
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={blocked}>
          {when === 'now' ? 'Send push' : 'Schedule push'}
        </button>{' '}
        <span role="status" class="muted">
          {status}
        </span>
      </form>
      <h3>Pushes</h3>
      <PushList pushes={pushes} tz={p.timeZone} />
    </div>
  );
}

/** When a push goes: now (or when quiet hours end), or at a local time of the participant's. */
type When = 'now' | 'later';

/** The exercise question a push may carry, asked again after `followUpDays`. */
interface ExerciseDraft {
  enabled: boolean;
  type: Question['type'];
  text: string;
  followUpDays: number;
}

/** The observation → impact → offer template; "Compose message" joins the three into the message. */
function MessageTemplate(props: { onCompose: (text: string) => void }) {
  const [observation, setObservation] = useState('');
  const [impact, setImpact] = useState('');
  const [offer, setOffer] = useState('');
  const compose = () =>
    props.onCompose(
      [observation, impact, offer]
        .map((s) => s.trim())
        .filter(Boolean)
        .join(' '),
    );
  return (
    <details>
      <summary>Observation → impact → offer template</summary>
      <Field label="Observation" id="t-observation" hint="What you saw: “You answered 5 of 7 days…”">
        <input
          id="t-observation"
          value={observation}
          onInput={(e) => setObservation(e.currentTarget.value)}
        />
      </Field>
      <Field label="Impact" id="t-impact" hint="Why it matters">
        <input id="t-impact" value={impact} onInput={(e) => setImpact(e.currentTarget.value)} />
      </Field>
      <Field label="Improvement offer" id="t-offer" hint="One small thing to try">
        <input id="t-offer" value={offer} onInput={(e) => setOffer(e.currentTarget.value)} />
      </Field>
      <button type="button" class="secondary" onClick={compose}>
        Compose message
      </button>
    </details>
  );
}

/** Now or later; later takes a date and time in the participant's zone `tz`, from now on. */
function PushSchedule(props: {
  tz: string;
  when: When;
  onWhen: (when: When) => void;
  at: string;
  onAt: (at: string) => void;
}) {
  const { when } = props;
  const localNow = localParts(appNow(), props.tz);
  const two = (n: number) => String(n).padStart(2, '0');
  const minAt = `${localNow.year}-${two(localNow.month)}-${two(localNow.day)}T${two(localNow.hour)}:${two(localNow.minute)}`;
  return (
    <fieldset>
      <legend>When</legend>
      <label>
        <input type="radio" name="when" checked={when === 'now'} onChange={() => props.onWhen('now')} /> Now
        (or when quiet hours end)
      </label>
      <label>
        <input type="radio" name="when" checked={when === 'later'} onChange={() => props.onWhen('later')} />{' '}
        At their local time
      </label>
      {when === 'later' ? (
        <Field label={`Send at (${props.tz})`} id="push-at">
          <input
            id="push-at"
            type="datetime-local"
            min={minAt}
            value={props.at}
            onInput={(e) => props.onAt(e.currentTarget.value)}
          />
        </Field>
      ) : null}
    </fieldset>
  );
}

/** "Add an exercise question" and, when ticked, the question and its follow-up delay. */
function ExerciseFields(props: { value: ExerciseDraft; onChange: (value: ExerciseDraft) => void }) {
  const { value } = props;
  const change = (patch: Partial<ExerciseDraft>) => props.onChange({ ...value, ...patch });
  return (
    <>
      <label class="check">
        <input
          type="checkbox"
          checked={value.enabled}
          onChange={(e) => change({ enabled: e.currentTarget.checked })}
        />{' '}
        Add an exercise question
      </label>
      {value.enabled ? (
        <fieldset>
          <legend>Exercise</legend>
          <Field label="Question type" id="ex-type">
            <select
              id="ex-type"
              value={value.type}
              onChange={(e) => change({ type: e.currentTarget.value as Question['type'] })}
            >
              {QUESTION_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </Field>
          <Field label="Question" id="ex-text">
            <input
              id="ex-text"
              required
              minLength={3}
              maxLength={160}
              value={value.text}
              onInput={(e) => change({ text: e.currentTarget.value })}
            />
          </Field>
          <Field label="Follow up after (days)" id="ex-days">
            <input
              id="ex-days"
              type="number"
              min={1}
              max={14}
              value={value.followUpDays}
              onInput={(e) => change({ followUpDays: Number(e.currentTarget.value) })}
            />
          </Field>
        </fieldset>
      ) : null}
    </>
  );
}

/** The participant's pushes with their status, skip reason, exercise and its answer. */
function PushList(props: { pushes: Loaded<Push[]>; tz: string }) {
  return (
    <Show value={props.pushes} what="pushes">
      {(list) =>
        list.length === 0 ? (
          <p class="muted">No pushes yet.</p>
        ) : (
          <ul class="pushes">
            {list.map((push) => (
              <li key={push.id} data-testid="push">
                <span class={`badge push-${push.status}`}>{push.status}</span>{' '}
                <span class="muted small">{formatLocal(push.sendAt, props.tz)}</span>
                <p>{push.text}</p>
                {push.skipReason ? <p class="muted small">skipped: {push.skipReason}</p> : null}
                {push.exercise ? <p class="small">Exercise: {push.exercise.question.text}</p> : null}
                {push.answer ? (
                  <p class="small">
                    Answer: {push.answer.text ?? push.answer.value} (
                    {formatLocal(push.answer.receivedAt, props.tz)})
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )
      }
    </Show>
  );
}

function Experiments(props: { id: string; tz: string }) {
  const [tick, setTick] = useState(0);
  const [list] = useLoad(() => api.listExperiments(props.id).then((r) => r.experiments), [props.id, tick]);
  const [type, setType] = useState<Question['type']>('yes-no');
  const [text, setText] = useState('');
  // Today on the participant's calendar, by the deployment's clock (the local one when local).
  const [startDate, setStartDate] = useState(() => {
    const today = localParts(appNow(), props.tz);
    return `${today.year}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
  });
  const [weeks, setWeeks] = useState(2);
  const [note, setNote] = useState({ observation: '', impact: '', improvement: '' });
  const [error, setError] = useState<string>();
  const add = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const written = Object.fromEntries(Object.entries(note).filter(([, v]) => v.trim()));
    try {
      await api.startExperiment(props.id, {
        question: { type, text },
        startDate,
        weeks,
        ...(Object.keys(written).length ? { note: written } : {}),
      });
      setText('');
      setNote({ observation: '', impact: '', improvement: '' });
      setTick((t) => t + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const remove = async (experimentId: string) => {
    try {
      await api.endExperiment(props.id, experimentId);
      setTick((t) => t + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const noteField = (key: keyof typeof note, label: string, hint: string) => (
    <Field label={label} id={`xp-${key}`}>
      <input
        id={`xp-${key}`}
        maxLength={280}
        placeholder={hint}
        value={note[key]}
        onInput={(e) => setNote({ ...note, [key]: e.currentTarget.value })}
      />
    </Field>
  );
  return (
    <div class="card">
      <h2>Personal experiments</h2>
      <Show value={list} what="experiments">
        {(items) => (
          <>
            {items.length === 0 ? <p class="muted">No experiment yet.</p> : null}
            <ul class="plain">
              {items.map((x) => (
                <li key={x.id}>
                  {x.question.text}{' '}
                  <span class="muted small">
                    {x.question.type}, {x.startDate} to {x.endDate}
                    {x.status ? ` (${x.status})` : ''}, {x.answers?.length ?? 0} answers
                  </span>{' '}
                  {x.status !== 'ended' ? (
                    <button type="button" class="link" onClick={() => void remove(x.id)}>
                      End now
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
            <form onSubmit={add}>
              <Field label="Experiment question" id="xp-text">
                <input
                  id="xp-text"
                  required
                  minLength={3}
                  maxLength={160}
                  placeholder="Did I pause before answering in meetings today?"
                  value={text}
                  onInput={(e) => setText(e.currentTarget.value)}
                />
              </Field>
              <Field label="Type" id="xp-type">
                <select
                  id="xp-type"
                  value={type}
                  onChange={(e) => setType(e.currentTarget.value as Question['type'])}
                >
                  {QUESTION_TYPES.map((t) => (
                    <option key={t}>{t}</option>
                  ))}
                </select>
              </Field>
              <Field label="Starts on (their date)" id="xp-start">
                <input
                  id="xp-start"
                  type="date"
                  required
                  value={startDate}
                  onInput={(e) => setStartDate(e.currentTarget.value)}
                />
              </Field>
              <Field label="Weeks" id="xp-weeks">
                <input
                  id="xp-weeks"
                  type="number"
                  min={1}
                  max={26}
                  value={weeks}
                  onInput={(e) => setWeeks(Number(e.currentTarget.value))}
                />
              </Field>
              {noteField('observation', 'Observation (optional)', 'I talk over people when I am excited')}
              {noteField('impact', 'Impact (optional)', 'the team stops offering ideas')}
              {noteField('improvement', 'Improvement (optional)', 'pause two seconds before answering')}
              {error ? (
                <p class="error" role="alert">
                  {error}
                </p>
              ) : null}
              <button type="submit">Start experiment</button>
            </form>
          </>
        )}
      </Show>
    </div>
  );
}

function Timeline(props: { id: string; tz: string }) {
  const [data] = useLoad(
    () => Promise.all([api.listReplies(props.id, 200), api.listPrompts(props.id)]),
    [props.id],
  );
  return (
    <div class="card">
      <h2>Replies</h2>
      <Show value={data} what="replies">
        {([replies, promptsRes]) => {
          const answers = replies.replies;
          const prompts = promptsRes.prompts;
          const byPrompt = new Map<string, Answer[]>();
          for (const a of answers) byPrompt.set(a.scheduledFor, [...(byPrompt.get(a.scheduledFor) ?? []), a]);
          const entries = [...byPrompt].sort(([a], [b]) => b.localeCompare(a));
          return (
            <>
              {entries.length === 0 ? <p class="muted">No replies yet.</p> : null}
              <ol class="timeline">
                {entries.map(([when, list]) => (
                  <li key={when}>
                    <span class="muted small">
                      {formatLocal(when, props.tz)} · {list[0]?.channel} {list[0]?.source}
                    </span>
                    <ul>
                      {list.map((a) => (
                        <li key={`${a.questionIndex}${a.experimentId ?? ''}`}>
                          <span class="q">{a.question}</span>{' '}
                          <strong>{a.text ?? (a.value === undefined ? '' : num(a.value))}</strong>
                          {a.comment ? <span class="comment"> “{a.comment}”</span> : null}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
              <details>
                <summary>Messages sent ({prompts.length})</summary>
                <ul class="plain small">
                  {prompts.map((pr) => (
                    <li key={`${pr.kind}${pr.scheduledFor}`}>
                      {formatLocal(pr.scheduledFor, props.tz)} · {pr.kind} · {pr.status}
                      {pr.skipReason ? ` (${pr.skipReason})` : ''}
                      {pr.answeredAt ? ' · answered' : ''}
                    </li>
                  ))}
                </ul>
              </details>
            </>
          );
        }}
      </Show>
    </div>
  );
}

/**
 * The participant's data rights: a JSON export (downloaded as `participant-<id>.json`) and erasure,
 * which the coach confirms by typing the participant's name; both are audited by the server.
 */
function DataRights(props: { p: Participant }) {
  const { p } = props;
  const [exportStatus, setExportStatus] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const matches = typed.trim() === p.name.trim();

  const download = async () => {
    setError(undefined);
    setExportStatus(undefined);
    try {
      const data = await api.exportParticipant(p.id);
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = `participant-${p.id}.json`;
      a.click();
      // Revoked after the click has started the download.
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setExportStatus('Export downloaded.');
    } catch (e) {
      setError(errorText(e));
    }
  };
  const erase = async (event: Event) => {
    event.preventDefault();
    if (!matches) return;
    setError(undefined);
    setBusy(true);
    try {
      await api.eraseParticipant(p.id);
      go('#/participants');
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <div class="card">
      <h2>Data</h2>
      <p>
        <button type="button" class="secondary" onClick={() => void download()}>
          Export data
        </button>{' '}
        <span role="status" class="muted">
          {exportStatus}
        </span>
      </p>
      {confirming ? (
        <form onSubmit={erase} aria-label="Erase participant">
          <p>
            Erasing deletes everything stored about this participant: answers, messages, pushes and notes. It
            cannot be undone.
          </p>
          <Field label={`Type “${p.name}” to confirm`} id="erase-name">
            <input
              id="erase-name"
              autocomplete="off"
              value={typed}
              onInput={(e) => setTyped(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" class="danger" disabled={!matches || busy}>
            Erase permanently
          </button>{' '}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setConfirming(false);
              setTyped('');
            }}
          >
            Cancel
          </button>
        </form>
      ) : (
        <p>
          <button type="button" class="secondary" onClick={() => setConfirming(true)}>
            Erase participant…
          </button>
        </p>
      )}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
