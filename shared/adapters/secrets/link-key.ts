/**
 * The key that signs answer links, unsubscribe links and reply addresses. On AWS it lives in
 * Secrets Manager (the function environment holds only the secret's ARN) and is cached for five
 * minutes; locally it comes from `LINK_SIGNING_KEY`.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { linkKeyConfig } from '../../config.js';

/**
 * A key of at least 32 characters: the secret named by `arn` on AWS (cached five minutes), the
 * local value otherwise.
 */
export async function secretKey(arn: string | undefined, local: string | undefined, what: string) {
  if (arn) {
    const secret = await getSecret(arn, { maxAge: 300 });
    if (typeof secret !== 'string' || secret.length < 32)
      throw new Error(`the ${what} secret must be a string of at least 32 characters`);
    return secret;
  }
  return local ?? '';
}

/** Loads the link-signing key. */
export async function linkSigningKey(): Promise<string> {
  const config = linkKeyConfig();
  return secretKey(config.LINK_SECRET_ARN, config.LINK_SIGNING_KEY, 'link-signing');
}
