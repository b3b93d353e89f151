/** Sign-in: Cognito SRP on AWS, a local token from `POST /dev/token` under `npm start`. */
import { useEffect, useState } from 'preact/hooks';
import { type AppConfig, appConfig, emailOf, signIn } from '../auth';
import { Field } from '../ui';

export function SignIn() {
  const [config, setConfig] = useState<AppConfig>();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [step, setStep] = useState<{ session: string; username: string }>();
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
      const result = step
        ? await srp.setNewPassword(config, step, newPassword)
        : await srp.srpSignIn(config, user, password);
      if (result.kind === 'new-password') {
        setStep(result);
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

  return (
    <section class="card narrow">
      <h1>Sign in</h1>
      {config.auth === 'local' ? (
        <p class="muted">Local mode: any coach id signs you in as that coach (no password).</p>
      ) : null}
      <form onSubmit={submit}>
        {step ? (
          <Field label="Choose a new password" id="new-password">
            <input
              id="new-password"
              type="password"
              autocomplete="new-password"
              required
              value={newPassword}
              onInput={(e) => setNewPassword(e.currentTarget.value)}
            />
          </Field>
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
          Sign in
        </button>
      </form>
    </section>
  );
}
