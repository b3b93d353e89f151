/**
 * Audit: what the coach did with participants' data (exports, erasures, pushes, imports), newest
 * first, 50 at a time with "More" for the next page.
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { href } from '../router';
import { formatLocal } from '../time';
import type { AuditPage as Page } from '../types';
import { errorText, Show, useLoad } from '../ui';

const PAGE = 50;
const auditPage = (cursor?: string) => api.audit({ limit: PAGE, cursor });

/** The coach's participants by id, so entries show names; an erased participant is not among them. */
async function namesById(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await api.listParticipants({ cursor });
    for (const p of page.participants) names.set(p.id, p.name);
    cursor = page.cursor;
  } while (cursor);
  return names;
}

/** `#/audit`. */
export function AuditPage() {
  const [first] = useLoad(() => Promise.all([auditPage(), namesById()]), []);
  return (
    <section>
      <h1>Audit</h1>
      <Show value={first} what="the audit trail">
        {([page, names]) => <AuditList first={page} names={names} />}
      </Show>
    </section>
  );
}

function AuditList(props: { first: Page; names: Map<string, string> }) {
  const [entries, setEntries] = useState(props.first.entries);
  const [cursor, setCursor] = useState(props.first.cursor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const more = async () => {
    if (!cursor) return;
    setBusy(true);
    setError(undefined);
    try {
      const next = await auditPage(cursor);
      setEntries((list) => [...list, ...next.entries]);
      setCursor(next.cursor);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (entries.length === 0) return <p class="empty">Nothing recorded yet.</p>;
  return (
    <>
      <div class="table-wrap">
        <table class="audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Action</th>
              <th scope="col">Participant</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={`${e.at}${e.action}${e.participantId ?? ''}${i}`} data-testid="audit-row">
                <td>{formatLocal(e.at, tz, true)}</td>
                <td>
                  {e.action}
                  {e.count !== undefined ? (
                    <span class="muted small">
                      {' '}
                      ({e.count} {e.count === 1 ? 'participant' : 'participants'})
                    </span>
                  ) : null}
                </td>
                <td>
                  {e.participantId ? (
                    <ParticipantCell id={e.participantId} name={props.names.get(e.participantId)} />
                  ) : (
                    <span class="muted">–</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {cursor ? (
        <p>
          <button type="button" class="secondary" disabled={busy} onClick={() => void more()}>
            More
          </button>
        </p>
      ) : null}
    </>
  );
}

/** A participant still enrolled links to their page by name; an erased one shows their id only. */
function ParticipantCell(props: { id: string; name: string | undefined }) {
  if (props.name === undefined)
    return (
      <span>
        <code>{props.id}</code> <span class="muted small">(erased)</span>
      </span>
    );
  return <a href={href('p', props.id)}>{props.name}</a>;
}
