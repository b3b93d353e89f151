/**
 * {@link RawMailStore} over S3: the raw MIME that the SES receipt rule stored. Locally the same
 * client reads the local S3-compatible store (path-style); only the endpoint differs.
 */
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsConfig, inboundMailConfig } from '../../../../config.js';
import type { RawMailStore } from '../../../../ports.js';

let client: S3Client | undefined;
const s3 = () => {
  if (!client) {
    const { S3_ENDPOINT } = inboundMailConfig();
    client = new S3Client({
      region: awsConfig().AWS_REGION,
      ...(S3_ENDPOINT ? { endpoint: S3_ENDPOINT, forcePathStyle: true } : {}),
    });
  }
  return client;
};

/** Raw inbound messages in the receipt bucket. */
export const s3RawMailStore: RawMailStore = {
  async get({ bucket, key }) {
    const out = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error('inbound message object has no body');
    return Buffer.from(await out.Body.transformToByteArray());
  },
  async delete({ bucket, key }) {
    // S3 answers 204 for a key that is not there (e.g. expired by the lifecycle rule): nothing to check.
    await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  },
};
