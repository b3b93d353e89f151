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

/** Edges that break the rules, as `from -> to` lines. */
function offending(): string[] {
  return edges
    .filter(({ from, to }) => {
      const target = channelOf(to);
      if (target === undefined || from.startsWith('functions/')) return false;
      const source = channelOf(from);
      // The core importing any channel, or one channel importing another.
      return source !== target;
    })
    .map(({ from, to }) => `${from} -> ${to}`);
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

  it('keeps the core free of channels and the channels free of each other', () => {
    expect(offending()).toEqual([]);
  });

  it('can see a forbidden edge (the rule is not vacuous)', () => {
    expect(channelOf('shared/channels/sms/texts.ts')).toBe('sms');
    expect(channelOf('shared/domain/program.ts')).toBeUndefined();
    expect(edges.length).toBeGreaterThan(100);
  });
});
