import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** A backend the end-to-end tests run the API on, as the global setup provides it. */
export interface ApiBackend {
  /** The provider name, such as `couchdb`. */
  name: string;
  /** Its `DATABASE_PROVIDER` settings, pointing at the server the global setup started. */
  env: Record<string, string>;
  /** The setting that keeps tests apart on one server (a table or database prefix). */
  prefixVariable?: string;
  /**
   * Variables the backend's client reads from the process environment rather than from the
   * provider settings (the AWS credential chain, the Google client's emulator switches).
   */
  processEnv?: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    backends: ApiBackend[];
  }
}

/** Every backend of this run: memory always, then each server the setup could start. */
export function apiBackends(): ApiBackend[] {
  const backends = inject('backends');
  for (const backend of backends) Object.assign(process.env, backend.processEnv);
  return backends;
}

/** The backend's settings with a prefix of their own, so this test sees empty collections. */
export function isolatedEnv(backend: ApiBackend): Record<string, string> {
  if (!backend.prefixVariable) return { ...backend.env };
  return { ...backend.env, [backend.prefixVariable]: `api${randomBytes(4).toString('hex')}_` };
}
