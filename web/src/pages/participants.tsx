/**
 * Participants: the list with search, the enrol form (validated as you type, the server's answer
 * shown on the field it names) and CSV import with a preview, per-row errors and all-or-nothing.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, actionKeys, api } from '../api';
import { href } from '../router';
import { isTimeZone, timeZones } from '../time';
import type { Channel, NewParticipant, Participant, Program } from '../types';
import { errorText, Field, Show, StatusBadge, useLoad } from '../ui';

const E164 = /^\+[1-9]\d{6,14}$/u;
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]{2,}$/u;

/** Field → problem, for what the browser can check before sending. */
export function validate(
  p: Partial<Record<keyof NewParticipant, string>>,
  programs?: Set<string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = p.name?.trim() ?? '';
  if (!name) errors.name = 'is required';
  else if (name.length > 80) errors.name = 'at most 80 characters';
  if (p.channel !== 'sms' && p.channel !== 'email') errors.channel = 'must be sms or email';
  if (p.phone && !E164.test(p.phone.trim())) errors.phone = 'expected an E.164 number such as +14155552671';
  if (p.channel === 'sms' && !p.phone?.trim()) errors.phone = 'is required for SMS';
  if (p.email && !EMAIL.test(p.email.trim())) errors.email = 'expected an email address';
  if (p.channel === 'email' && !p.email?.trim()) errors.email = 'is required for email';
  if (!p.timeZone || !isTimeZone(p.timeZone.trim()))
    errors.timeZone = 'expected an IANA time zone such as Europe/Berlin';
  if (!p.programId?.trim()) errors.programId = 'is required';
  else if (programs && !programs.has(p.programId.trim())) errors.programId = 'no such program';
  return errors;
}

function clean(p: Partial<Record<keyof NewParticipant, string>>): NewParticipant {
  return {
    name: p.name?.trim() ?? '',
    channel: (p.channel?.trim() as Channel) ?? 'sms',
    timeZone: p.timeZone?.trim() ?? '',
    programId: p.programId?.trim() ?? '',
    ...(p.phone?.trim() ? { phone: p.phone.trim() } : {}),
    ...(p.email?.trim() ? { email: p.email.trim() } : {}),
  };
}

async function loadAll(): Promise<Participant[]> {
  const all: Participant[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listParticipants({ cursor });
    all.push(...page.participants);
    cursor = page.cursor;
  } while (cursor);
  return all;
}

export function ParticipantsPage() {
  const [list, reload] = useLoad(loadAll, []);
  const [programs] = useLoad(() => api.listPrograms().then((r) => r.programs), []);
  const [search, setSearch] = useState('');
  const programList = programs.state === 'ok' ? programs.data.filter((p) => !p.archivedAt) : [];
  return (
    <section>
      <h1>Participants</h1>
      <div class="grid">
        <div class="card">
          <h2>Everyone</h2>
          <label class="sr-only" for="search">
            Search participants
          </label>
          <input
            id="search"
            type="search"
            class="filter"
            placeholder="Search by name, phone, email"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <Show value={list} what="participants">
            {(items) => {
              const needle = search.trim().toLowerCase();
              const shown = needle
                ? items.filter((p) =>
                    [p.name, p.phone, p.email].some((v) => v?.toLowerCase().includes(needle)),
                  )
                : items;
              return shown.length === 0 ? (
                <p class="muted">{items.length ? 'Nobody matches.' : 'Nobody enrolled yet.'}</p>
              ) : (
                <ul class="people">
                  {shown.map((p) => (
                    <li key={p.id}>
                      <a href={href('p', p.id)}>{p.name}</a> <StatusBadge status={p.status} />
                      <span class="muted small">
                        {' '}
                        {p.channel.toUpperCase()} · {p.timeZone}
                      </span>
                    </li>
                  ))}
                </ul>
              );
            }}
          </Show>
        </div>
        <div>
          <Enrol programs={programList} onDone={reload} />
          <Import programs={programList} onDone={reload} />
        </div>
      </div>
    </section>
  );
}

function Enrol(props: { programs: Program[]; onDone: () => void }) {
  const guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [form, setForm] = useState<Record<keyof NewParticipant, string>>({
    name: '',
    phone: '',
    email: '',
    timeZone: guess,
    programId: '',
    channel: 'sms',
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [server, setServer] = useState<{ field?: string; message: string }>();
  const [keys] = useState(actionKeys);
  const [done, setDone] = useState<string>();
  const zones = useMemo(timeZones, []);
  const programId = form.programId || props.programs[0]?.id || '';
  const errors = validate({ ...form, programId });
  const shown = (field: string) =>
    touched.has(field) ? errors[field] : server?.field === field ? server.message : undefined;
  const set = (field: keyof NewParticipant) => (e: { currentTarget: { value: string } }) => {
    setForm({ ...form, [field]: e.currentTarget.value });
    setServer(undefined);
  };
  const blur = (field: string) => () => setTouched(new Set([...touched, field]));

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(undefined);
    setTouched(new Set(Object.keys(form)));
    if (Object.keys(errors).length) return;
    try {
      const body = clean({ ...form, programId });
      const created = await api.enrolParticipant(body, keys.for(body));
      keys.done();
      setDone(
        `${created.name} enrolled (${created.status === 'pending' ? 'waiting for opt-in' : created.status}).`,
      );
      setForm({ ...form, name: '', phone: '', email: '' });
      setTouched(new Set());
      props.onDone();
    } catch (e) {
      setServer(
        e instanceof ApiError && e.field ? { field: e.field, message: e.message } : { message: errorText(e) },
      );
    }
  };
  const field = (name: string) => ({
    id: `enrol-${name}`,
    'aria-invalid': shown(name) ? true : undefined,
    'aria-describedby': shown(name) ? `enrol-${name}-error` : undefined,
    onBlur: blur(name),
  });

  return (
    <form class="card" onSubmit={submit} noValidate aria-label="Enrol a participant">
      <h2>Enrol</h2>
      <Field label="Name" id="enrol-name" error={shown('name')}>
        <input {...field('name')} value={form.name} onInput={set('name')} autocomplete="off" />
      </Field>
      <fieldset>
        <legend>Channel</legend>
        {(['sms', 'email'] as const).map((c) => (
          <label key={c}>
            <input
              type="radio"
              name="channel"
              value={c}
              checked={form.channel === c}
              onChange={set('channel')}
            />{' '}
            {c === 'sms' ? 'SMS' : 'Email'}
          </label>
        ))}
      </fieldset>
      <Field
        label="Phone (E.164)"
        id="enrol-phone"
        error={shown('phone')}
        hint="+ country code, e.g. +14155552671"
      >
        <input {...field('phone')} type="tel" value={form.phone} onInput={set('phone')} autocomplete="off" />
      </Field>
      <Field label="Email address" id="enrol-email" error={shown('email')}>
        <input
          {...field('email')}
          type="email"
          value={form.email}
          onInput={set('email')}
          autocomplete="off"
        />
      </Field>
      <Field label="Time zone" id="enrol-timeZone" error={shown('timeZone')}>
        <input {...field('timeZone')} list="zones" value={form.timeZone} onInput={set('timeZone')} />
      </Field>
      <datalist id="zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field label="Program" id="enrol-programId" error={shown('programId')}>
        <select {...field('programId')} value={programId} onChange={set('programId')}>
          {props.programs.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      {server && !server.field ? (
        <p class="error" role="alert">
          {server.message}
        </p>
      ) : null}
      <button type="submit">Enrol</button>{' '}
      <span role="status" class="muted">
        {done}
      </span>
    </form>
  );
}

/** Most rows one import may hold (the API's limit: one all-or-nothing request). */
const MAX_IMPORT_ROWS = 1000;

interface ImportRow {
  row: number;
  data: NewParticipant;
  errors: Record<string, string>;
}

function Import(props: { programs: Program[]; onDone: () => void }) {
  const [rows, setRows] = useState<ImportRow[]>();
  const [progress, setProgress] = useState<number>();
  const [message, setMessage] = useState<string>();
  const [serverErrors, setServerErrors] = useState<{ row: number; field: string; error: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const programIds = new Set(props.programs.map((p) => p.id));

  const read = async (file: File) => {
    setRows(undefined);
    setMessage(undefined);
    setServerErrors([]);
    setProgress(0);
    const { default: Papa } = await import('papaparse');
    const parsed: ImportRow[] = [];
    let tooMany = false;
    Papa.parse<Record<string, string>>(file, {
      header: true,
      delimiter: ',',
      skipEmptyLines: 'greedy',
      transformHeader: (h) => h.trim(),
      chunkSize: 64 * 1024,
      chunk: (results, parser) => {
        for (const data of results.data) {
          if (parsed.length >= MAX_IMPORT_ROWS) {
            tooMany = true;
            parser.abort();
            return;
          }
          // Row numbers as a spreadsheet shows them: the header is row 1.
          parsed.push({ row: parsed.length + 2, data: clean(data), errors: validate(data, programIds) });
        }
        setProgress(Math.min(1, (results.meta.cursor ?? 0) / (file.size || 1)));
      },
      complete: () => {
        setProgress(undefined);
        setRows(parsed);
        if (tooMany)
          setMessage(`This file has more than ${MAX_IMPORT_ROWS} rows: split it into smaller files.`);
      },
      error: (error) => {
        setProgress(undefined);
        setMessage(`Could not read the file: ${error.message}`);
      },
    });
  };

  const bad = rows?.filter((r) => Object.keys(r.errors).length > 0) ?? [];
  const submit = async () => {
    if (!rows || bad.length) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const res = await api.importParticipants(rows.map((r) => r.data));
      setMessage(`Imported ${res.imported} participants.`);
      setRows(undefined);
      props.onDone();
    } catch (e) {
      const body =
        e instanceof ApiError
          ? (e.body as { rows?: { row: number; field: string; error: string }[] })
          : undefined;
      if (body?.rows) setServerErrors(body.rows);
      setMessage(`Nothing was imported: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card">
      <h2>Import from CSV</h2>
      <p class="muted small">
        Columns: <code>name, phone, email, timeZone, programId, channel</code> (header row first). Nothing is
        imported unless every row is valid.
      </p>
      <Field label="CSV file" id="csv-file">
        <input
          id="csv-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void read(file);
          }}
        />
      </Field>
      {progress !== undefined ? (
        <progress value={progress} max={1} aria-label="Reading the file">
          {Math.round(progress * 100)}%
        </progress>
      ) : null}
      {rows ? (
        <>
          <p>
            {rows.length} rows ·{' '}
            {bad.length ? <span class="error">{bad.length} with errors</span> : 'all valid'}
          </p>
          <div class="table-wrap">
            <table class="preview">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Name</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Phone / email</th>
                  <th scope="col">Time zone</th>
                  <th scope="col">Problems</th>
                </tr>
              </thead>
              <tbody>
                {(bad.length ? bad : rows).slice(0, 50).map((r) => (
                  <tr key={r.row} class={Object.keys(r.errors).length ? 'invalid' : ''}>
                    <td>{r.row}</td>
                    <td>{r.data.name}</td>
                    <td>{r.data.channel}</td>
                    <td>{r.data.phone ?? r.data.email}</td>
                    <td>{r.data.timeZone}</td>
                    <td class="error">
                      {Object.entries(r.errors)
                        .map(([f, m]) => `${f}: ${m}`)
                        .join('; ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length > 50 ? <p class="muted small">First 50 rows shown.</p> : null}
          <button type="button" disabled={busy || bad.length > 0 || rows.length === 0} onClick={submit}>
            Import {rows.length} participants
          </button>
        </>
      ) : null}
      {serverErrors.length ? (
        <ul class="error">
          {serverErrors.map((e) => (
            <li key={`${e.row}${e.field}`}>
              Row {e.row}, {e.field}: {e.error}
            </li>
          ))}
        </ul>
      ) : null}
      {message ? <p role="status">{message}</p> : null}
    </div>
  );
}
