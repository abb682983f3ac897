import type { BackendInspector } from '@gofannon/db-core/conformance';

/** Where a test reaches CouchDB directly, beside the adapter. */
export interface CouchAccess {
  url: string;
  user: string;
  password: string;
}

/** Raw HTTP to CouchDB as the admin, for checks the adapter's interface cannot make. */
export function rawCouch(access: () => CouchAccess) {
  return async (path: string, init: RequestInit = {}): Promise<Response> => {
    const { url, user, password } = access();
    const headers = new Headers(init.headers);
    headers.set('authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
    headers.set('content-type', 'application/json');
    return fetch(`${url}/${path}`, { ...init, headers });
  };
}

/** Tells the suite whether a collection's database exists. */
export function couchInspector(access: () => CouchAccess, prefix = ''): BackendInspector {
  const raw = rawCouch(access);
  return {
    async collectionExists(collection) {
      const response = await raw(encodeURIComponent(`${prefix}${collection}`));
      await response.body?.cancel();
      if (response.status !== 200 && response.status !== 404) {
        throw new Error(`unexpected ${response.status} while checking a database`);
      }
      return response.status === 200;
    },
  };
}
