/**
 * Stand-in for `@aws-sdk/credential-provider-node` in Lambda bundles only (see `nanoBundling`).
 *
 * Lambda hands every function its execution role's credentials in the environment
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`). The SDK's default chain also
 * knows SSO, shared INI files, web identity, credential processes and the instance metadata
 * service, none of which can apply inside Lambda, and they weigh about 85 KB of every bundle.
 * Local runs and tests are not bundled and keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];

/** The environment provider, under the name the SDK clients import. */
export const defaultProvider = (init?: Init) => fromEnv(init);

/** The default chain's refresh hints; environment credentials are refreshed by Lambda itself. */
export const credentialsWillNeedRefresh = () => false;
export const credentialsTreatedAsExpired = () => false;
