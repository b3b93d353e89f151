/** htmlparser2's `entities/decode`, unchanged (see `index.ts`): entities 7, as it depends on. */
export * from '../../../../node_modules/htmlparser2/node_modules/entities/dist/commonjs/decode.js';
