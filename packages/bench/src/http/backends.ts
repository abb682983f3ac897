import { randomBytes } from 'node:crypto';
import { openServerBackend, SERVER_BACKEND_NAMES } from '../providers/server-backends';

/** A provider's server for the HTTP bench: the settings the API's process gets, and cleanup. */
export interface HttpBackend {
  description: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The providers the HTTP bench can run the API on. */
export const HTTP_PROVIDERS: readonly string[] = SERVER_BACKEND_NAMES;

/** Readies a provider's server for the API, its documents under a prefix of this run. */
export async function openHttpBackend(
  provider: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<HttpBackend> {
  if (!HTTP_PROVIDERS.includes(provider)) {
    throw new Error(
      `The HTTP bench has no provider "${provider}"; choose from ${HTTP_PROVIDERS.join(', ')}`,
    );
  }
  const backend = await openServerBackend(provider, env);
  const prefix = `bench_${randomBytes(6).toString('hex')}_http_`;
  return {
    description: backend.description,
    env: backend.providerEnv(prefix),
    close: async () => {
      try {
        await backend.drop(prefix);
      } finally {
        await backend.close();
      }
    },
  };
}
