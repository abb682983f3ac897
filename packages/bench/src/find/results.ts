/** Settings of `pnpm bench --find`. */
export interface FindBenchSettings {
  /** The providers measured, in order (`--find-providers`; every one of `FIND_PROVIDERS` by default). */
  providers: string[];
  /** Documents in each collection queried. */
  documents: number;
  /** Pages of the query read per walk (fewer when the results end first). */
  pages: number;
  /** Documents per page. */
  pageSize: number;
  /** Walks of the indexed query per target, alternating with its rival. */
  rounds: number;
  seed: number;
  /** Indexed must beat unindexed by at least this factor in time per page. */
  minSpeedup: number;
  /** The adapter's indexed pages per second over the hand-written SQL's. */
  minHandRatio: number;
}

/** One way of reading the query's pages. */
export interface FindWalk {
  /** What was read: "indexed", "unindexed" or "hand-written SQL". */
  name: string;
  /** Pages read in each walk (the same in every walk). */
  pages: number;
  /** Mean milliseconds per page: the median walk's time divided by its pages. */
  msPerPage: number;
  /** Every walk's milliseconds per page, in the order they ran. */
  walkMsPerPage: number[];
  /** Documents examined per page, where measurable (see `examinedBy`). */
  examinedPerPage?: number;
}

/** One provider's measurements. */
export interface FindProviderResult {
  /** A name of `FIND_PROVIDERS`. */
  provider: string;
  backend: string;
  /** How `examinedPerPage` was counted. */
  examinedBy: string;
  walks: FindWalk[];
  /** Unindexed milliseconds per page over indexed. */
  speedup: number;
  /**
   * The adapter's indexed pages per second over the hand-written query's (its time per
   * page over the adapter's), the median over rounds; where the provider has a rival.
   */
  handRatio?: number;
  /** PostgreSQL: the hand-written statement, for the record. */
  handSql?: string;
  /** What `handRatio` compares the adapter with ("hand-written SQL" when absent). */
  handName?: string;
  /** More lines for the printed summary: requests or capacity per page, plans, anything measured. */
  notes?: string[];
}

export interface FindCheck {
  name: string;
  value: number;
  min: number;
  passed: boolean;
}

export interface FindBenchReport {
  startedAt: string;
  settings: FindBenchSettings;
  query: unknown;
  machine: unknown;
  results: FindProviderResult[];
  checks: FindCheck[];
}
