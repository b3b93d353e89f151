/**
 * Twilio credentials. On AWS they live in Secrets Manager (the function environment holds only
 * the secret's ARN); locally they come from the environment. Cached by Powertools Parameters for
 * five minutes, so a rotated token is picked up without a redeploy.
 */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import * as z from 'zod';
import { twilioConfig } from '../../../../config.js';

const CredentialsSchema = z.object({ accountSid: z.string().startsWith('AC'), authToken: z.string().min(8) });

/** Account SID and auth token. */
export type TwilioCredentials = z.infer<typeof CredentialsSchema>;

/** Loads the Twilio credentials for this deployment. */
export async function twilioCredentials(): Promise<TwilioCredentials> {
  const config = twilioConfig();
  if (config.TWILIO_SECRET_ARN) {
    const secret = await getSecret(config.TWILIO_SECRET_ARN, { transform: 'json', maxAge: 300 });
    const parsed = CredentialsSchema.safeParse(secret);
    if (!parsed.success) throw new Error('the Twilio secret must hold {"accountSid":"AC…","authToken":"…"}');
    return parsed.data;
  }
  return CredentialsSchema.parse({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
  });
}
