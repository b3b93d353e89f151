/**
 * Stand-in for `tlds` in Lambda bundles only (see `nanoBundling`): mailparser loads the list of
 * top-level domains into linkify-it (itself a stand-in there) for its HTML rendering of plain
 * text, which the product turns off (`skipTextToHtml`) and never reads. An empty list saves about
 * 13 KB. CommonJS, like the package: `require('tlds')` is the array itself.
 */
module.exports = [];
