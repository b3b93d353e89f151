/**
 * `entities` in Lambda bundles only (see `nanoBundling`): dom-serializer (under html-to-text)
 * asks for entities 4, htmlparser2 for entities 7, so the bundle held both, each with its own
 * HTML entity tables (about 75 KB for the older one). dom-serializer only calls the encoders,
 * which entities 7 still exports with the same behaviour; this points it at the copy htmlparser2
 * already brings. A directory, because the alias also maps subpaths: htmlparser2's own
 * `entities/decode` lands on `decode.ts` beside this file, the same module it always used.
 */
export * from '../../../../node_modules/htmlparser2/node_modules/entities/dist/commonjs/index.js';
