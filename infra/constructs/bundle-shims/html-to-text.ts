/**
 * `html-to-text` in Lambda bundles only (see `nanoBundling`): one build of it for both of its
 * callers. mailparser `require`s it and so gets the CommonJS build, our own code `import`s it and
 * would get the ES module build — and with each build its own copy of htmlparser2, domhandler,
 * domutils, dom-serializer, selderee and the HTML entity tables (about 330 KB twice over). Both now
 * resolve here, to the CommonJS build, so the bundle holds one copy. Nothing is replaced: it is the
 * same package at the same version, reached by a relative path because its `exports` map offers
 * no subpath.
 */
// @ts-expect-error: the CommonJS build has no declarations of its own (the package's types are its)
export { compile, convert, htmlToText } from '../../../node_modules/html-to-text/lib/html-to-text.cjs';
