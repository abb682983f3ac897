import type { DatabaseService } from '@gofannon/db-core';
import type {
  BackendInspector,
  OutageControl,
  ServiceSettings,
} from '@gofannon/db-core/conformance';

/** An adapter that breaks one rule of the contract, and the cases that must notice. */
export interface BrokenAdapter {
  /** The rule it breaks; also the name it runs under. */
  rule: string;
  /** Makes a fresh broken service. */
  create: (settings: ServiceSettings) => DatabaseService;
  /** Full case names ("group > case name") that must fail for this adapter. */
  caughtBy: string[];
  /** A view of the backend beneath the service, for the read-side-effect checks. */
  inspector?: BackendInspector;
  /** Control of a simulated server beneath the service, for the outage checks. */
  outage?: OutageControl & { timeoutMs: number };
  /** What the failure of the first `caughtBy` case must say: what came back instead. */
  saying?: RegExp;
}
