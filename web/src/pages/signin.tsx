/**
 * Sign-in: Cognito SRP on AWS, a local token from `POST /dev/token` under `npm start`. On AWS the
 * pool may ask for more before it gives tokens — a new password (an invited coach's first
 * sign-in), the code of their authenticator app, or setting one up first — one step at a time.
 */
import { useEffect, useState } from 'preact/hooks';
import { type AppConfig, appConfig, emailOf, signIn } from '../auth';
import type { SignInResult } from '../srp';
import { Field } from '../ui';

type Challenge = Exclude<SignInResult, { kind: 'tokens' }>;

export function SignIn() {
  const [config, setConfig] = useState<AppConfig>();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [answer, setAnswer] = useState('');
  const [step, setStep] = useState<Challenge>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    appConfig().then(setConfig);
  }, []);
  if (!config) return <p class="muted">Loading…</p>;

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      if (config.auth === 'local') {
        const res = await fetch('/dev/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(user.includes('@') ? { coachId: user, email: user } : { coachId: user }),
        });
        const json = (await res.json()) as { token?: string; error?: string };
        if (!res.ok || !json.token) throw new Error(json.error ?? `HTTP ${res.status}`);
        signIn({ token: json.token, label: user, expiresAt: Date.now() + 12 * 3600_000 });
        return;
      }
      const srp = await import('../srp');
      const result = !step
        ? await srp.srpSignIn(config, user, password)
        : step.kind === 'new-password'
          ? await srp.setNewPassword(config, step, answer, user)
          : step.kind === 'mfa-code'
            ? await srp.answerMfaCode(config, step, answer)
            : await srp.verifyMfaSetup(config, step, answer);
      if (result.kind !== 'tokens') {
        setStep(result);
        setAnswer('');
        return;
      }
      signIn({
        token: result.idToken,
        label: emailOf(result.idToken) ?? user,
        expiresAt: Date.now() + result.expiresIn * 1000,
      });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const code = (
    <Field label="6-digit code from your authenticator app" id="mfa-code">
      <input
        id="mfa-code"
        inputMode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        value={answer}
        onInput={(e) => setAnswer(e.currentTarget.value)}
      />
    </Field>
  );

  return (
    <section class="card narrow">
      <h1>Sign in</h1>
      {config.auth === 'local' ? (
        <p class="muted">Local mode: any coach id signs you in as that coach (no password).</p>
      ) : null}
      <form onSubmit={submit}>
        {step?.kind === 'new-password' ? (
          <Field label="Choose a new password" id="new-password">
            <input
              id="new-password"
              type="password"
              autocomplete="new-password"
              required
              value={answer}
              onInput={(e) => setAnswer(e.currentTarget.value)}
            />
          </Field>
        ) : step?.kind === 'mfa-code' ? (
          code
        ) : step?.kind === 'mfa-setup' ? (
          <>
            <p>
              This deployment requires a second factor. Add nanocoach to an authenticator app (1Password,
              Google Authenticator, Authy…) with this secret, then type the code it shows.
            </p>
            <p class="otpauth">
              Secret: <code data-testid="mfa-secret">{step.secret}</code>
            </p>
            <p class="otpauth">
              Or paste this URI into the app: <code data-testid="mfa-uri">{step.otpauthUri}</code>
            </p>
            {code}
          </>
        ) : (
          <>
            <Field label={config.auth === 'local' ? 'Coach id' : 'Email'} id="user">
              <input
                id="user"
                autocomplete="username"
                required
                value={user}
                onInput={(e) => setUser(e.currentTarget.value)}
              />
            </Field>
            {config.auth === 'cognito' ? (
              <Field label="Password" id="password">
                <input
                  id="password"
                  type="password"
                  autocomplete="current-password"
                  required
                  value={password}
                  onInput={(e) => setPassword(e.currentTarget.value)}
                />
              </Field>
            ) : null}
          </>
        )}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {step ? 'Continue' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
