/**
 * The key of the keyed hash (HMAC) under which erasure keeps an erased address's opt-out or
 * suppression. On AWS it lives in Secrets Manager (the function environment holds only the ARN);
 * locally it comes from `ADDRESS_HASH_KEY`. Replacing it forgets every erased address's "no".
 */
import { addressKeyConfig } from '../../config.js';
import { secretKey } from './link-key.js';

/** Loads the address-hashing key. */
export async function addressHashKey(): Promise<string> {
  const config = addressKeyConfig();
  return secretKey(config.ADDRESS_HASH_SECRET_ARN, config.ADDRESS_HASH_KEY, 'address-hashing');
}
