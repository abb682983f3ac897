/** Settings of `pnpm bench --purge`. */
export interface PurgeBenchSettings {
  /** Expired documents each provider loads and then purges. */
  documents: number;
  /** Providers measured, in order (`--purge-providers`; every one of `PURGE_PROVIDERS` by default). */
  providers: string[];
}

/** One provider's purge. */
export interface PurgeResult {
  /** A name of `PURGE_PROVIDERS`. */
  provider: string;
  backend: string;
  /** Expired documents loaded. */
  documents: number;
  /** What `purgeExpired` answered: it must equal `documents`. */
  purged: number;
  /** Seconds `purgeExpired` took. */
  seconds: number;
  /** Backend round trips (requests or statements) per 1,000 documents purged, where counted. */
  roundTripsPer1000?: number;
  /** How round trips were counted, and anything else worth printing. */
  notes?: string[];
}

export interface PurgeBenchReport {
  startedAt: string;
  settings: PurgeBenchSettings;
  machine: unknown;
  results: PurgeResult[];
}
