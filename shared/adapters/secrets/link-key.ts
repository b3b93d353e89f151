/**
 * The key that signs answer links, unsubscribe links and reply addresses. On AWS it lives in
 * Secrets Manager (the function environment holds only the secret's ARN) and is cached for five
 * minutes; locally it comes from `LINK_SIGNING_KEY`.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { linkKeyConfig } from '../../config.js';

/** Loads the link-signing key. */
export async function linkSigningKey(): Promise<string> {
  const config = linkKeyConfig();
  if (config.LINK_SECRET_ARN) {
    const secret = await getSecret(config.LINK_SECRET_ARN, { maxAge: 300 });
    if (typeof secret !== 'string' || secret.length < 32)
      throw new Error('the link-signing secret must be a string of at least 32 characters');
    return secret;
  }
  return config.LINK_SIGNING_KEY ?? '';
}
