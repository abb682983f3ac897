import type { DatabaseService } from '@gofannon/db-core';

/**
 * A real service seen through a proxy that reports each method call, and optionally
 * replaces some methods. Calls go to the real object, so its private state still works.
 */
export function watchService(
  db: DatabaseService,
  onCall: (method: string) => void,
  replace: Partial<DatabaseService> = {},
): DatabaseService {
  return new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(replace, property) ?? Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        onCall(String(property));
        return value.apply(target, args);
      };
    },
  });
}
