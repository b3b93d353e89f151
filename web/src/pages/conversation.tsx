/**
 * The conversation with one participant: everything they wrote that is not an answer, oldest
 * first, unread ones marked (and those that read as needing a human), the coach's replies with
 * their send status, and a reply box. What a participant wrote is rendered as text, never as HTML.
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { SmsCounter } from '../sms-counter';
import { formatLocal } from '../time';
import type { Participant, Push } from '../types';
import { errorText, Field, Show, useLoad } from '../ui';

const replyStatus = (r: Push, tz: string) =>
  r.status === 'scheduled'
    ? `scheduled for ${formatLocal(r.sendAt, tz)} (after their quiet hours)`
    : r.status === 'skipped'
      ? `not sent (${(r.skipReason ?? 'skipped').replace('-', ' ')})`
      : r.status;

/** The conversation card of the participant page. */
export function Conversation(props: { p: Participant }) {
  const { p } = props;
  const [tick, setTick] = useState(0);
  const [data] = useLoad(() => api.conversation(p.id), [p.id, tick]);
  const [text, setText] = useState('');
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const reload = () => setTick((t) => t + 1);

  const markRead = async (ids?: string[]) => {
    setError(undefined);
    try {
      await api.markMessagesRead(p.id, ids ? { ids } : {});
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setStatus(undefined);
    try {
      const reply = await api.replyToParticipant(p.id, { text });
      setStatus(`Reply ${replyStatus(reply, p.timeZone)}.`);
      setText('');
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div class="card conversation" id="messages" data-testid="conversation">
      <h2>Conversation</h2>
      <Show value={data} what="messages">
        {(c) => (
          <>
            <p class="muted small" data-testid="unread-count">
              {c.unreadMessages} unread{c.needsHuman ? ' · needs a human' : ''}
              {c.unreadMessages > 0 ? (
                <>
                  {' '}
                  <button type="button" class="secondary small" onClick={() => markRead()}>
                    Mark all read
                  </button>
                </>
              ) : null}
            </p>
            {c.messages.length === 0 ? <p class="muted">Nothing yet beyond answers.</p> : null}
            <ol class="messages">
              {[...c.messages].reverse().map((m) =>
                m.from === 'participant' ? (
                  <li
                    key={`p${m.id}`}
                    class={`from-participant${m.readAt ? '' : ' unread'}${m.urgent ? ' urgent' : ''}`}
                    data-testid="message"
                  >
                    <span class="muted small">
                      {formatLocal(m.at, p.timeZone)} · {m.channel}
                      {m.urgent ? <span class="badge flag flag-needs-human"> needs a human</span> : null}
                      {m.readAt ? null : <span class="badge unread-badge"> unread</span>}
                    </span>
                    <p class="said">{m.text}</p>
                    {m.readAt ? null : (
                      <button type="button" class="secondary small" onClick={() => markRead([m.id])}>
                        Mark read
                      </button>
                    )}
                  </li>
                ) : (
                  <li key={`c${m.id}`} class="from-coach" data-testid="coach-reply">
                    <span class="muted small">
                      You · {formatLocal(m.at, p.timeZone)} · {replyStatus(m, p.timeZone)}
                    </span>
                    <p class="said">{m.text}</p>
                  </li>
                ),
              )}
            </ol>
          </>
        )}
      </Show>
      <form onSubmit={send}>
        <Field label={`Reply by ${p.channel === 'sms' ? 'SMS' : 'email'}`} id="reply-text">
          <textarea
            id="reply-text"
            required
            maxLength={320}
            rows={3}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </Field>
        {p.channel === 'sms' ? <SmsCounter text={text} testId="reply-counter" /> : null}
        <p class="muted small">Sent on their channel, after their quiet hours, never after an opt-out.</p>
        <button type="submit">Send reply</button>
        {status ? (
          <p class="ok" role="status">
            {status}
          </p>
        ) : null}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}
