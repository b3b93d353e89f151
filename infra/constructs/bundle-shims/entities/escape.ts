/** `entities/escape` of entities 7, unchanged (see `index.ts`). */
export * from '../../../../node_modules/htmlparser2/node_modules/entities/dist/commonjs/escape.js';
