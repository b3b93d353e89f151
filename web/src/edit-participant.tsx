/**
 * The coach's edit form for one participant (name, channel, phone, email, time zone), validated as
 * you type with the enrol form's rules; the server's answer is shown on the field it names. Only
 * changed fields are sent (`PATCH /api/participants/{id}`), and the form says what follows: a new
 * address to reach the person at asks for consent again, a new zone moves the next question.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiError, api } from './api';
import { validate } from './pages/participants';
import { formatLocal, timeZones } from './time';
import type { Channel, Participant } from './types';
import { errorText, Field } from './ui';

type Form = { name: string; channel: Channel; phone: string; email: string; timeZone: string };
const FIELDS = ['name', 'channel', 'phone', 'email', 'timeZone'] as const;

function formOf(p: Participant): Form {
  return {
    name: p.name,
    channel: p.channel,
    phone: p.phone ?? '',
    email: p.email ?? '',
    timeZone: p.timeZone,
  };
}

/** The edit form; `onSaved` reloads the page's participant. */
export function EditParticipant(props: { p: Participant; onSaved: () => void }) {
  const { p } = props;
  const [form, setForm] = useState<Form>(() => formOf(p));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [server, setServer] = useState<{ field?: string; message: string }>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const zones = useMemo(timeZones, []);
  const errors = validate({ ...form, programId: p.programId });
  const original = formOf(p);
  const changed = FIELDS.filter((f) => form[f].trim() !== original[f]);
  const reachedAt = (f: Form) => (f.channel === 'sms' ? f.phone.trim() : f.email.trim());
  const newAddress = form.channel !== p.channel || reachedAt(form) !== reachedAt(original);
  // A changed field is checked at once; so are both addresses when the channel changes.
  const live = (field: string) =>
    touched.has(field) ||
    changed.includes(field as (typeof FIELDS)[number]) ||
    (changed.includes('channel') && (field === 'phone' || field === 'email'));
  const shown = (field: string) =>
    live(field) ? errors[field] : server?.field === field ? server.message : undefined;
  const set = (field: keyof Form) => (e: { currentTarget: { value: string } }) => {
    setForm({ ...form, [field]: e.currentTarget.value });
    setServer(undefined);
    setDone(undefined);
  };
  const field = (name: string) => ({
    id: `edit-${name}`,
    'aria-invalid': shown(name) ? true : undefined,
    'aria-describedby': shown(name) ? `edit-${name}-error` : undefined,
    onBlur: () => setTouched(new Set([...touched, name])),
  });

  const submit = async (event: Event) => {
    event.preventDefault();
    setTouched(new Set(FIELDS));
    if (Object.keys(errors).length || changed.length === 0) return;
    setBusy(true);
    try {
      const body = Object.fromEntries(changed.map((f) => [f, form[f].trim()]));
      const saved = await api.editParticipant(p.id, body);
      setDone(
        saved.consentRestarted
          ? `Saved. ${saved.channel === 'sms' ? 'A new opt-in request asks for YES' : 'A welcome goes'} at the new address; nothing else is sent there until then.`
          : saved.nextDueAt
            ? `Saved. Next question ${formatLocal(saved.nextDueAt, saved.timeZone)} their time.`
            : 'Saved.',
      );
      setForm(formOf(saved));
      setTouched(new Set());
      props.onSaved();
    } catch (e) {
      setServer(
        e instanceof ApiError && e.field && e.field !== 'id'
          ? { field: e.field, message: e.message }
          : { message: errorText(e) },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="card edit-participant">
      <summary>Edit details</summary>
      <form onSubmit={submit} noValidate aria-label="Edit participant">
        <Field label="Name" id="edit-name" error={shown('name')}>
          <input {...field('name')} value={form.name} onInput={set('name')} autocomplete="off" />
        </Field>
        <fieldset>
          <legend>Channel</legend>
          {(['sms', 'email'] as const).map((c) => (
            <label key={c}>
              <input
                type="radio"
                name="edit-channel"
                value={c}
                checked={form.channel === c}
                onChange={set('channel')}
              />{' '}
              {c === 'sms' ? 'SMS' : 'Email'}
            </label>
          ))}
        </fieldset>
        <Field label="Phone (E.164)" id="edit-phone" error={shown('phone')} hint="+ country code">
          <input
            {...field('phone')}
            type="tel"
            value={form.phone}
            onInput={set('phone')}
            autocomplete="off"
          />
        </Field>
        <Field label="Email address" id="edit-email" error={shown('email')}>
          <input
            {...field('email')}
            type="email"
            value={form.email}
            onInput={set('email')}
            autocomplete="off"
          />
        </Field>
        <Field label="Time zone" id="edit-timeZone" error={shown('timeZone')}>
          <input {...field('timeZone')} list="edit-zones" value={form.timeZone} onInput={set('timeZone')} />
        </Field>
        <datalist id="edit-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        {newAddress && changed.length ? (
          <p class="muted" data-testid="consent-note">
            {form.channel === 'sms'
              ? 'The new number must reply YES before any question goes to it.'
              : 'The new address gets a welcome with how to stop.'}{' '}
            An address that opted out or bounced stays that way.
          </p>
        ) : null}
        {server && !server.field ? (
          <p class="error" role="alert">
            {server.message}
          </p>
        ) : null}
        <button type="submit" disabled={busy || changed.length === 0}>
          Save changes
        </button>{' '}
        <span role="status" class="muted">
          {done}
        </span>
      </form>
    </details>
  );
}
