/**
 * The `rawRef` of an inbound email: where SES receiving stored its raw MIME, as `s3://bucket/key`.
 * Written when the reply is recorded, read back when the participant is erased. Pure.
 */

/** An object of the inbound-mail bucket. */
export interface RawMailObject {
  readonly bucket: string;
  readonly key: string;
}

/** The `rawRef` of the raw message stored as `key` in `bucket`. */
export function rawMailRef(object: RawMailObject): string {
  return `s3://${object.bucket}/${object.key}`;
}

/** The object a {@link rawMailRef} names; `undefined` for any other kind of reference. */
export function parseRawMailRef(ref: string): RawMailObject | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/su.exec(ref);
  return match?.[1] && match[2] ? { bucket: match[1], key: match[2] } : undefined;
}
