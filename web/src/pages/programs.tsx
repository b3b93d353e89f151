/**
 * Programs: the question and schedule editor, with the SMS the questions make (encoding,
 * segments) as you type and the next five send times in a chosen time zone.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { promptSms, smsCost } from '../sms';
import { appNow, formatLocal, isTimeZone, nextSendTimes, timeZones } from '../time';
import type { Program, Question, Weekday } from '../types';
import { errorText, Field, Show, useLoad } from '../ui';

// The server's weekdays (`WEEKDAYS` of shared/domain/program.ts, whose module also holds zod): the
// type holds the two together.
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const satisfies readonly Weekday[];
const TYPES = ['scale', 'yes-no', 'number', 'text'] as const;

interface Draft {
  id?: string;
  name: string;
  questions: Question[];
  days: Weekday[];
  time: string;
  quietStart: string;
  quietEnd: string;
  reminder: string;
  freshness: string;
  /** Participants get their weekly report card when their week closes. */
  reportCard: boolean;
}

const blank = (): Draft => ({
  name: '',
  questions: [{ type: 'scale', text: '' }],
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  time: '18:00',
  quietStart: '21:00',
  quietEnd: '08:00',
  reminder: '',
  freshness: '180',
  reportCard: true,
});

const draftOf = (p: Program): Draft => ({
  id: p.id,
  name: p.name,
  questions: p.questions.map((q) => ({ ...q })),
  days: [...p.schedule.days],
  time: p.schedule.time,
  quietStart: p.schedule.quietHours?.start ?? '21:00',
  quietEnd: p.schedule.quietHours?.end ?? '08:00',
  reminder: p.schedule.reminderAfterHours ? String(p.schedule.reminderAfterHours) : '',
  freshness: String(p.schedule.freshnessMinutes ?? 180),
  reportCard: p.reportCard !== false,
});

function bodyOf(d: Draft) {
  return {
    name: d.name.trim(),
    questions: d.questions,
    schedule: {
      days: d.days,
      time: d.time,
      quietHours: { start: d.quietStart, end: d.quietEnd },
      freshnessMinutes: Number(d.freshness),
      ...(d.reminder ? { reminderAfterHours: Number(d.reminder) } : {}),
    },
    reportCard: d.reportCard,
  };
}

export function ProgramsPage() {
  const [programs, reload] = useLoad(() => api.listPrograms().then((r) => r.programs), []);
  const [draft, setDraft] = useState<Draft>(blank);
  return (
    <section>
      <h1>Programs</h1>
      <div class="grid">
        <div class="card">
          <h2>Your programs</h2>
          <Show value={programs} what="programs">
            {(list) => (
              <ul class="plain">
                {list.map((p) => (
                  <li key={p.id}>
                    <button type="button" class="link" onClick={() => setDraft(draftOf(p))}>
                      {p.name}
                    </button>{' '}
                    <span class="muted small">
                      {p.questions.length} question{p.questions.length === 1 ? '' : 's'} ·{' '}
                      {p.schedule.days.join(' ')} {p.schedule.time}
                      {p.builtIn || p.id === 'daily-questions' ? ' · built in' : ''}
                      {p.archivedAt ? ' · archived' : ''}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Show>
          <button type="button" class="secondary" onClick={() => setDraft(blank())}>
            New program
          </button>
        </div>
        <Editor key={draft.id ?? 'new'} initial={draft} onSaved={reload} />
      </div>
    </section>
  );
}

/** A field's error message from the last save, for `prefix` or a path below it (`questions.0`). */
type FieldError = (prefix: string) => string | undefined;

function Editor(props: { initial: Draft; onSaved: () => void }) {
  const [d, setD] = useState<Draft>(props.initial);
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [status, setStatus] = useState<string>();
  const builtIn = d.id === 'daily-questions';

  const patch = (change: Partial<Draft>) => {
    setD({ ...d, ...change });
    setError(undefined);
  };

  const save = async (event: Event) => {
    event.preventDefault();
    setStatus(undefined);
    try {
      const saved = d.id ? await api.updateProgram(d.id, bodyOf(d)) : await api.createProgram(bodyOf(d));
      setD(draftOf(saved));
      setStatus(`Saved “${saved.name}”.`);
      props.onSaved();
    } catch (e) {
      setError(
        e instanceof ApiError && e.field ? { field: e.field, message: e.message } : { message: errorText(e) },
      );
    }
  };
  const archive = async () => {
    if (!d.id) return;
    try {
      await api.archiveProgram(d.id);
      setStatus('Archived.');
      props.onSaved();
    } catch (e) {
      setError({ message: errorText(e) });
    }
  };
  const fieldError: FieldError = (prefix) =>
    error?.field && (error.field === prefix || error.field.startsWith(`${prefix}.`))
      ? error.message
      : undefined;

  return (
    <form class="card" onSubmit={save} aria-label="Program editor">
      <h2>{d.id ? `Edit ${d.name}` : 'New program'}</h2>
      {builtIn ? (
        <p class="muted">The built-in program cannot be changed; save a copy under a new name.</p>
      ) : null}
      <Field label="Name" id="prog-name" error={fieldError('name')}>
        <input
          id="prog-name"
          required
          maxLength={80}
          value={d.name}
          onInput={(e) => patch({ name: e.currentTarget.value })}
        />
      </Field>
      <QuestionList
        questions={d.questions}
        onChange={(questions) => patch({ questions })}
        fieldError={fieldError}
      />
      <SmsCostLine questions={d.questions} />
      <ScheduleFields d={d} patch={patch} fieldError={fieldError} />
      <label class="check">
        <input
          id="prog-report-card"
          type="checkbox"
          checked={d.reportCard}
          onChange={(e) => patch({ reportCard: e.currentTarget.checked })}
        />{' '}
        Send each participant a weekly report card of their own answers (this week beside last week, their
        streak, and a link to their history)
      </label>
      <SendTimesPreview days={d.days} time={d.time} />
      {error && !error.field ? (
        <p class="error" role="alert">
          {error.message}
        </p>
      ) : null}
      {error?.field && !['name', 'questions', 'schedule'].some((f) => error.field?.startsWith(f)) ? (
        <p class="error" role="alert">
          {error.field}: {error.message}
        </p>
      ) : null}
      <button type="submit" disabled={builtIn}>
        {d.id ? 'Save changes' : 'Create program'}
      </button>{' '}
      {d.id ? (
        <button
          type="button"
          class="secondary"
          onClick={() => setD({ ...d, id: undefined, name: `${d.name} (copy)` } as Draft)}
        >
          Save as copy
        </button>
      ) : null}{' '}
      {d.id && !builtIn ? (
        <button type="button" class="secondary" onClick={archive}>
          Archive
        </button>
      ) : null}{' '}
      <span role="status" class="muted">
        {status}
      </span>
    </form>
  );
}

/** The program's questions, each with its type and bounds; at least one stays. */
function QuestionList(props: {
  questions: Question[];
  onChange: (questions: Question[]) => void;
  fieldError: FieldError;
}) {
  const { questions } = props;
  return (
    <fieldset>
      <legend>Questions</legend>
      {questions.map((q, i) => (
        <QuestionFields
          key={i}
          index={i}
          question={q}
          error={props.fieldError(`questions.${i}`)}
          onChange={(changed) => props.onChange(questions.map((x, j) => (j === i ? changed : x)))}
          {...(questions.length > 1
            ? { onRemove: () => props.onChange(questions.filter((_x, j) => j !== i)) }
            : {})}
        />
      ))}
      <button
        type="button"
        class="secondary"
        onClick={() => props.onChange([...questions, { type: 'scale', text: '' }])}
      >
        Add question
      </button>
    </fieldset>
  );
}

/** One question: text, type, min/max for scales and numbers, unit for numbers. */
function QuestionFields(props: {
  index: number;
  question: Question;
  error: string | undefined;
  onChange: (question: Question) => void;
  onRemove?: () => void;
}) {
  const { index: i, question: q, onChange: setQuestion } = props;
  return (
    <div class="question">
      <Field label={`Question ${i + 1}`} id={`q-${i}-text`} error={props.error}>
        <input
          id={`q-${i}-text`}
          required
          minLength={3}
          maxLength={160}
          value={q.text}
          onInput={(e) => setQuestion({ ...q, text: e.currentTarget.value })}
        />
      </Field>
      <Field label="Type" id={`q-${i}-type`}>
        <select
          id={`q-${i}-type`}
          value={q.type}
          onChange={(e) =>
            setQuestion({
              type: e.currentTarget.value as Question['type'],
              text: q.text,
            } as Question)
          }
        >
          {TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      {q.type === 'scale' || q.type === 'number' ? (
        <>
          <Field label="Min" id={`q-${i}-min`}>
            <input
              id={`q-${i}-min`}
              type="number"
              value={q.min ?? ''}
              placeholder={q.type === 'scale' ? '1' : ''}
              onInput={(e) => {
                const v = e.currentTarget.value;
                const { min: _min, ...rest } = q;
                setQuestion(v === '' ? rest : { ...q, min: Number(v) });
              }}
            />
          </Field>
          <Field label="Max" id={`q-${i}-max`}>
            <input
              id={`q-${i}-max`}
              type="number"
              value={q.max ?? ''}
              placeholder={q.type === 'scale' ? '10' : ''}
              onInput={(e) => {
                const v = e.currentTarget.value;
                const { max: _max, ...rest } = q;
                setQuestion(v === '' ? rest : { ...q, max: Number(v) });
              }}
            />
          </Field>
        </>
      ) : null}
      {q.type === 'number' ? (
        <Field label="Unit" id={`q-${i}-unit`}>
          <input
            id={`q-${i}-unit`}
            maxLength={24}
            value={q.unit ?? ''}
            onInput={(e) => {
              const v = e.currentTarget.value;
              const { unit: _unit, ...rest } = q;
              setQuestion(v ? { ...q, unit: v } : rest);
            }}
          />
        </Field>
      ) : null}
      {props.onRemove ? (
        <button type="button" class="link" onClick={props.onRemove}>
          Remove question {i + 1}
        </button>
      ) : null}
    </div>
  );
}

/** The SMS the filled-in questions make: characters, segments and encoding, warned when costly. */
function SmsCostLine(props: { questions: Question[] }) {
  const filled = props.questions.filter((q) => q.text.trim());
  const cost = filled.length ? smsCost(promptSms(filled as never)) : undefined;
  if (!cost) return null;
  return (
    <p
      class={`counter${cost.segments > 1 || cost.encoding !== 'GSM-7' ? ' warn' : ''}`}
      data-testid="program-cost"
    >
      The SMS: {cost.characters} characters · {cost.segments} segment{cost.segments === 1 ? '' : 's'} ·{' '}
      {cost.encoding}
      {cost.nonGsmCharacters.length
        ? ` (because of ${cost.nonGsmCharacters.map((c) => `“${c}”`).join(' ')})`
        : ''}
    </p>
  );
}

/** Days, local send time, quiet hours, reminder delay and freshness of the program's schedule. */
function ScheduleFields(props: {
  d: Draft;
  patch: (change: Partial<Draft>) => void;
  fieldError: FieldError;
}) {
  const { d, patch, fieldError } = props;
  return (
    <>
      <fieldset>
        <legend>Days</legend>
        <div class="days">
          {DAYS.map((day) => (
            <label key={day}>
              <input
                type="checkbox"
                checked={d.days.includes(day)}
                onChange={(e) =>
                  patch({
                    days: e.currentTarget.checked ? [...d.days, day] : d.days.filter((x) => x !== day),
                  })
                }
              />{' '}
              {day}
            </label>
          ))}
        </div>
        {fieldError('schedule.days') ? <small class="error">{fieldError('schedule.days')}</small> : null}
      </fieldset>
      <div class="row">
        <Field
          label="Time (participant's local)"
          id="prog-time"
          error={fieldError('schedule.time') ?? fieldError('schedule')}
        >
          <input
            id="prog-time"
            type="time"
            required
            value={d.time}
            onInput={(e) => patch({ time: e.currentTarget.value })}
          />
        </Field>
        <Field label="Quiet hours from" id="prog-quiet-start" error={fieldError('schedule.quietHours')}>
          <input
            id="prog-quiet-start"
            type="time"
            value={d.quietStart}
            onInput={(e) => patch({ quietStart: e.currentTarget.value })}
          />
        </Field>
        <Field label="until" id="prog-quiet-end">
          <input
            id="prog-quiet-end"
            type="time"
            value={d.quietEnd}
            onInput={(e) => patch({ quietEnd: e.currentTarget.value })}
          />
        </Field>
      </div>
      <div class="row">
        <Field
          label="Reminder after (hours, empty = none)"
          id="prog-reminder"
          error={fieldError('schedule.reminderAfterHours')}
        >
          <input
            id="prog-reminder"
            type="number"
            min={1}
            max={12}
            value={d.reminder}
            onInput={(e) => patch({ reminder: e.currentTarget.value })}
          />
        </Field>
        <Field
          label="Still send when late by (minutes)"
          id="prog-freshness"
          error={fieldError('schedule.freshnessMinutes')}
        >
          <input
            id="prog-freshness"
            type="number"
            min={5}
            max={1440}
            value={d.freshness}
            onInput={(e) => patch({ freshness: e.currentTarget.value })}
          />
        </Field>
      </div>
    </>
  );
}

/** The next five send times of `days` at `time` in a zone the coach picks (theirs by default). */
function SendTimesPreview(props: { days: Weekday[]; time: string }) {
  const [zone, setZone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const zones = useMemo(timeZones, []);
  const preview =
    isTimeZone(zone) && props.days.length
      ? nextSendTimes({ days: props.days, time: props.time }, zone, appNow())
      : [];
  return (
    <>
      <Field label="Preview send times in" id="prog-zone">
        <input
          id="prog-zone"
          list="prog-zones"
          value={zone}
          onInput={(e) => setZone(e.currentTarget.value)}
        />
      </Field>
      <datalist id="prog-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <ol class="preview-times" aria-label="Next send times">
        {preview.map((t) => (
          <li key={t.toISOString()}>{formatLocal(t, zone)}</li>
        ))}
      </ol>
    </>
  );
}
