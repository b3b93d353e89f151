/**
 * The coach dashboard: the shell (header, navigation, sign-in) and the pages, each loaded when
 * first opened so "This week" stays small.
 */
import type { ComponentType } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { appConfig, sessionSignal, signOut } from './auth';
import { SignIn } from './pages/signin';
import { ThisWeek } from './pages/week';
import { routeSignal } from './router';
import { useSignal } from './signal';
import { followLocalClock } from './time';
import './styles.css';

type Page = ComponentType<{ parts: string[]; query: URLSearchParams }>;

const loaders: Record<string, () => Promise<Page>> = {
  participants: () => import('./pages/participants').then((m) => m.ParticipantsPage),
  programs: () => import('./pages/programs').then((m) => m.ProgramsPage),
  cohort: () => import('./pages/cohort').then((m) => m.CohortPage),
  audit: () => import('./pages/audit').then((m) => m.AuditPage),
};
const participantPage = () => import('./pages/participant').then((m) => m.ParticipantPage);

function Lazy(props: { load: () => Promise<Page>; parts: string[]; query: URLSearchParams }) {
  const [page, setPage] = useState<{ C: Page } | { error: string } | undefined>();
  useEffect(() => {
    setPage(undefined);
    props.load().then(
      (C) => setPage({ C }),
      () => setPage({ error: 'This page could not be loaded; reload to try again.' }),
    );
  }, [props.load]);
  if (!page) return <p class="muted">Loading…</p>;
  if ('error' in page) return <p class="error">{page.error}</p>;
  return <page.C parts={props.parts} query={props.query} />;
}

interface LocalLinks {
  phone: string;
  inbox: string;
}

function useLocalLinks(local: boolean): LocalLinks | undefined {
  const [links, setLinks] = useState<LocalLinks>();
  useEffect(() => {
    if (!local) return;
    fetch('/dev/links')
      .then((r) => (r.ok ? (r.json() as Promise<LocalLinks>) : undefined))
      .then(setLinks, () => undefined);
  }, [local]);
  return links;
}

const NAV = [
  ['week', 'This week'],
  ['participants', 'Participants'],
  ['programs', 'Programs'],
  ['cohort', 'Cohort report'],
  ['audit', 'Audit'],
] as const;

function App() {
  const session = useSignal(sessionSignal);
  const route = useSignal(routeSignal);
  const [local, setLocal] = useState(false);
  useEffect(() => {
    appConfig().then((c) => setLocal(c.auth === 'local'));
  }, []);
  const links = useLocalLinks(local);
  const [first = 'week', ...rest] = route.parts;
  const section = first === 'p' ? 'participants' : first;

  let page = null;
  if (!session) page = <SignIn />;
  else if (first === 'p' && rest[0]) page = <Lazy load={participantPage} parts={rest} query={route.query} />;
  else if (loaders[first]) page = <Lazy load={loaders[first]} parts={rest} query={route.query} />;
  else page = <ThisWeek query={route.query} />;

  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">nanocoach</span>
        {session ? (
          <nav aria-label="Main">
            {NAV.map(([key, label]) => (
              <a key={key} href={`#/${key}`} aria-current={section === key ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        ) : null}
        <span class="spacer" />
        {links ? (
          <span class="local-links">
            <a href={links.phone} target="_blank" rel="noopener">
              Phone simulator
            </a>
            <a href={links.inbox} target="_blank" rel="noopener">
              Email inbox
            </a>
          </span>
        ) : null}
        {session ? (
          <span class="who">
            <span class="muted">{session.label}</span>
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </span>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

const root = document.getElementById('app');
// In local mode the dashboard follows the local system's (movable) clock from its first render.
appConfig()
  .then((c) => (c.auth === 'local' ? followLocalClock() : undefined))
  .finally(() => {
    if (!root) return;
    root.textContent = '';
    render(<App />, root);
  });
