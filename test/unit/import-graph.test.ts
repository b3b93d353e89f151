/**
 * Channels as folders: `shared/channels/<name>/` owns everything one channel needs (texts, links,
 * use cases, provider adapters, ports), so adding WhatsApp is one new folder. This test reads the
 * relative imports of every .ts file under `shared/` and `functions/` and holds the rules:
 * - the core (everything under `shared/` outside `shared/channels/`) never imports a channel;
 * - a channel never imports another channel.
 * Handlers (`functions/`) are the wiring and may import anything. A failure lists the offending edges.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(dirname(new URL(import.meta.url).pathname), '..', '..'));
const CHANNELS = 'shared/channels/';

/** Every .ts file under `dir`, as a repo-relative path with forward slashes. */
function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative specifiers of `from '...'`, `import '...'` and `import('...')`, resolved to repo paths. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/gu)]
    .map((m) => m[1] ?? '')
    .filter((s) => s.startsWith('.'));
  return specifiers.map((s) => {
    const target = relative(ROOT, join(ROOT, dirname(file), s))
      .split('\\')
      .join('/');
    // Sources import `x.js` for `x.ts` (NodeNext); JSON and other files keep their names.
    return target.endsWith('.js') ? `${target.slice(0, -3)}.ts` : target;
  });
}

/** The channel a file belongs to (`sms`, `email`, …), or undefined for the core and the handlers. */
function channelOf(path: string): string | undefined {
  return path.startsWith(CHANNELS) ? path.slice(CHANNELS.length).split('/')[0] : undefined;
}

const files = [...tsFiles('shared'), ...tsFiles('functions')];
const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

/**
 * Known edges still to remove (issue 17, item 3), listed so that any NEW crossing fails. All have one
 * root: the plain-text answers both channels send (confirmations, follow-ups, the words of PAUSE,
 * RESUME, SKIP, HELP, STOP) are written in `channels/sms/domain/messages.ts`, sharing its GSM-7 and
 * segment-compaction helpers with the prompt, and the address-level commands that answer with them
 * live in the SMS reply use case. Moving both to the core (a reply-texts module and a commands use
 * case) removes these edges; remove each line here as its edge goes.
 */
const KNOWN: readonly string[] = [
  'shared/channels/email/usecases/email-commands.ts -> shared/channels/sms/domain/messages.ts',
  'shared/channels/email/usecases/email-commands.ts -> shared/channels/sms/usecases/record-sms-reply.ts',
  'shared/channels/email/usecases/record-email-reply.ts -> shared/channels/sms/domain/messages.ts',
  'shared/channels/email/usecases/record-email-reply.ts -> shared/channels/sms/usecases/record-sms-reply.ts',
  'shared/usecases/progress.ts -> shared/channels/sms/domain/messages.ts',
];

/** Edges that break the rules, as `from -> to` lines. */
function offending(): string[] {
  return edges.filter(({ from, to }) => crosses(from, to)).map(({ from, to }) => `${from} -> ${to}`);
}

/** Whether an edge breaks the rules: the core importing any channel, or one channel another. */
function crosses(from: string, to: string): boolean {
  const target = channelOf(to);
  return target !== undefined && !from.startsWith('functions/') && channelOf(from) !== target;
}

describe('the import graph', () => {
  it('has a folder per channel', () => {
    expect(existsSync(join(ROOT, CHANNELS, 'sms'))).toBe(true);
    expect(existsSync(join(ROOT, CHANNELS, 'email'))).toBe(true);
  });

  it('resolves every relative import to a file (the rules below read real edges)', () => {
    const missing = edges
      .filter(({ to }) => !existsSync(join(ROOT, to)))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(missing).toEqual([]);
  });

  it('keeps the core free of channels and the channels free of each other (no edge beyond the known ones)', () => {
    expect(offending().filter((edge) => !KNOWN.includes(edge))).toEqual([]);
  });

  it('lists only known edges that still exist (a removed edge leaves the list)', () => {
    expect(KNOWN.filter((edge) => !offending().includes(edge))).toEqual([]);
  });

  it('can see a forbidden edge (the rule is not vacuous)', () => {
    expect(crosses('shared/domain/program.ts', 'shared/channels/sms/domain/sms-cost.ts')).toBe(true);
    expect(crosses('shared/channels/email/usecases/x.ts', 'shared/channels/sms/domain/messages.ts')).toBe(
      true,
    );
    expect(crosses('shared/channels/sms/usecases/x.ts', 'shared/channels/sms/domain/messages.ts')).toBe(
      false,
    );
    expect(crosses('shared/channels/sms/usecases/x.ts', 'shared/domain/program.ts')).toBe(false);
    expect(crosses('functions/send-sms/handler.ts', 'shared/channels/sms/usecases/outbound-sms.ts')).toBe(
      false,
    );
    expect(edges.length).toBeGreaterThan(100);
  });
});
