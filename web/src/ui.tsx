/** Small shared pieces: loading states, not-available notes, charts, form fields, badges. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, NotAvailableError } from './api';
import { syncClock } from './time';
import type { Status } from './types';

/** The state of something loaded from the API. */
export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T }
  | { state: 'unavailable'; route: string }
  | { state: 'error'; message: string };

/**
 * Loads `fn()` whenever `deps` change; `reload` runs it again. In local mode it reads the local
 * clock alongside, so times shown with the data ("3 h ago", today) are on the clock the data is.
 */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  useEffect(() => {
    let live = true;
    Promise.all([fn(), syncClock()]).then(
      ([data]) => live && setResult({ state: 'ok', data }),
      (error: unknown) => live && setResult(loadError(error)),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return [result, () => setTick((t) => t + 1)];
}

/** An error as a load state. */
export function loadError<T>(error: unknown): Loaded<T> {
  if (error instanceof NotAvailableError) return { state: 'unavailable', route: error.route };
  return { state: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** Renders a load state: children when loaded. */
export function Show<T>(props: { value: Loaded<T>; what: string; children: (data: T) => ComponentChildren }) {
  const v = props.value;
  if (v.state === 'loading')
    return (
      <p class="muted" aria-busy="true">
        Loading {props.what}…
      </p>
    );
  if (v.state === 'unavailable') return <NotAvailable what={props.what} route={v.route} />;
  if (v.state === 'error')
    return (
      <p class="error" role="alert">
        Could not load {props.what}: {v.message}
      </p>
    );
  return <>{props.children(v.data)}</>;
}

/** A feature the server does not offer yet. */
export function NotAvailable(props: { what: string; route: string }) {
  return (
    <div class="unavailable" role="note">
      <strong>{props.what}: not available on this server yet.</strong>{' '}
      <span class="muted">({props.route} is not deployed.)</span>
    </div>
  );
}

/** The message of a failed action, as a sentence. */
export function errorText(error: unknown): string {
  if (error instanceof NotAvailableError) return 'Not available on this server yet.';
  if (error instanceof ApiError) return error.field ? `${error.field}: ${error.message}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

/** A tiny line of values (inline SVG: no chart library on the weekly page). */
export function Sparkline(props: { values: number[]; min?: number; max?: number; label: string }) {
  const { values } = props;
  const w = 80;
  const h = 22;
  if (values.length === 0)
    return (
      <svg class="spark" width={w} height={h} role="img" aria-label={`${props.label}: no answers`}>
        <line x1="0" y1={h / 2} x2={w} y2={h / 2} class="spark-empty" />
      </svg>
    );
  const lo = props.min ?? Math.min(...values);
  const hi = props.max ?? Math.max(...values);
  const span = hi - lo || 1;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const points = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(h - 2 - ((v - lo) / span) * (h - 4)).toFixed(1)}`,
  );
  return (
    <svg class="spark" width={w} height={h} role="img" aria-label={`${props.label}: ${values.join(', ')}`}>
      {values.length > 1 ? <polyline points={points.join(' ')} /> : null}
      {points.map((p) => {
        const [x, y] = p.split(',');
        return <circle key={p} cx={x} cy={y} r="2" />;
      })}
    </svg>
  );
}

/** Horizontal bars of a distribution (value → count). */
export function Bars(props: { data: [string, number][]; label: string }) {
  const max = Math.max(1, ...props.data.map(([, n]) => n));
  return (
    <table class="bars" aria-label={props.label}>
      <tbody>
        {props.data.map(([key, n]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>
              <span class="bar" style={{ width: `${(n / max) * 100}%` }} />
              <span class="bar-n">{n}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A line chart over weeks (uPlot, loaded only on the pages that draw one). */
export function WeekChart(props: {
  labels: string[];
  values: (number | null)[];
  title: string;
  range?: [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const { labels, values, title, range } = props;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: { destroy(): void } | undefined;
    let live = true;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([{ default: UPlot }]) => {
      if (!live) return;
      chart = new UPlot(
        {
          width: Math.min(560, el.clientWidth || 320),
          height: 160,
          scales: { x: { time: false }, ...(range ? { y: { range } } : {}) },
          axes: [{ values: (_u, ticks) => ticks.map((t) => labels[t]?.slice(5) ?? '') }, {}],
          series: [{}, { label: title, stroke: '#1f5fbf', width: 2, points: { size: 6 }, spanGaps: true }],
          legend: { show: false },
        },
        [labels.map((_l, i) => i), values],
        el,
      );
    });
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [labels.join(), values.join(), title, range?.join()]);
  const described = labels.map((l, i) => `${l}: ${values[i] ?? '–'}`).join('; ');
  return <div class="chart" ref={box} role="img" aria-label={`${title}. ${described}`} />;
}

/** A labelled input with its error underneath (read by screen readers with the input). */
export function Field(props: {
  label: string;
  id: string;
  error?: string | undefined;
  hint?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.error ? ' invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint ? (
        <small id={`${props.id}-hint`} class="muted">
          {props.hint}
        </small>
      ) : null}
      {props.error ? (
        <small id={`${props.id}-error`} class="error" role="alert">
          {props.error}
        </small>
      ) : null}
    </div>
  );
}

const STATUS_LABEL: Record<Status, string> = {
  pending: 'pending opt-in',
  active: 'active',
  paused: 'paused',
  opted_out: 'opted out',
  bouncing: 'bouncing',
};

/** A participant's status as a badge. */
export function StatusBadge(props: { status: Status }) {
  return <span class={`badge status-${props.status}`}>{STATUS_LABEL[props.status] ?? props.status}</span>;
}

/** Attention flags as badges. */
export function Flags(props: { flags: string[] }) {
  if (props.flags.length === 0) return null;
  return (
    <span class="flags">
      {props.flags.map((f) => (
        <span key={f} class={`badge flag flag-${f}`}>
          {f}
        </span>
      ))}
    </span>
  );
}

/** A percentage, or a dash. */
export const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`;
/** A number with one decimal, or a dash. */
export const num = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(1);
