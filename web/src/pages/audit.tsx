/**
 * Audit: what the coach did with participants' data (exports, erasures, pushes, imports), newest
 * first, 50 at a time with "More" for the next page.
 */
import { useState } from 'preact/hooks';
import { get } from '../api';
import { href } from '../router';
import { formatLocal } from '../time';
import { errorText, Show, useLoad } from '../ui';

/** One entry of `GET /api/audit`. */
interface AuditEntry {
  at: string;
  action: string;
  participantId?: string;
  coachId: string;
  count?: number;
}

interface AuditPage {
  entries: AuditEntry[];
  cursor?: string;
}

const PAGE = 50;
const auditPage = (cursor?: string) =>
  get<AuditPage>(`/api/audit?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);

/** `#/audit`. */
export function AuditPage() {
  const [first] = useLoad(() => auditPage(), []);
  return (
    <section>
      <h1>Audit</h1>
      <Show value={first} what="the audit trail">
        {(page) => <AuditList key={page.cursor ?? ''} first={page} />}
      </Show>
    </section>
  );
}

function AuditList(props: { first: AuditPage }) {
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
                  {e.count !== undefined ? <span class="muted small"> ({e.count})</span> : null}
                </td>
                <td>
                  {e.participantId ? (
                    // An erased participant has no page any more: their id only.
                    e.action === 'erase' ? (
                      <code>{e.participantId}</code>
                    ) : (
                      <a href={href('p', e.participantId)}>
                        <code>{e.participantId}</code>
                      </a>
                    )
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
