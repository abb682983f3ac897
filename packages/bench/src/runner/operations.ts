import type { OperationName } from '../results';
import {
  GET_MANY_BATCH,
  PAGE_SIZE,
  type PreparedCall,
  SAVE_MANY_BATCH,
  type TargetWorkload,
} from '../workload/target-workload';

export interface OperationSpec {
  name: OperationName;
  docsPerCall: number;
  prepare(workload: TargetWorkload): PreparedCall;
}

/**
 * Measured in this order: reads first on the preloaded data, then writes; `delete` last,
 * as it removes the documents `save` created.
 */
export const OPERATIONS: readonly OperationSpec[] = [
  { name: 'get', docsPerCall: 1, prepare: (workload) => workload.get() },
  { name: 'getMany', docsPerCall: GET_MANY_BATCH, prepare: (workload) => workload.getMany() },
  { name: 'list', docsPerCall: PAGE_SIZE, prepare: (workload) => workload.list() },
  { name: 'update', docsPerCall: 1, prepare: (workload) => workload.update() },
  { name: 'save', docsPerCall: 1, prepare: (workload) => workload.save() },
  { name: 'saveMany', docsPerCall: SAVE_MANY_BATCH, prepare: (workload) => workload.saveMany() },
  { name: 'delete', docsPerCall: 1, prepare: (workload) => workload.delete() },
];

/**
 * Each operation's measured calls are split into this many pairs of slices, one slice of
 * adapter calls and one of baseline calls, the order alternating from pair to pair. The
 * ratio is the median of the pairs' ratios: a slice that a neighbour process or a full GC
 * stole time from moves its pair only, not the result. With four long slices instead, one
 * such pause in a `delete` slice (about a microsecond a call) moved the ratio from 0.5 to 2;
 * with 16 pairs a quarter of the `save` slices met a collection and the median still
 * wandered (0.62 to 0.95). Many short pairs leave few of them hit. Every operation makes at
 * least one call per pair by default (`--min-calls`): the server providers' `--ops` gave
 * their batch and page operations 8 to 40 calls, so those ratios were the median of as
 * few single calls, and one slow call of the backend's moved them by a tenth.
 */
export const PAIRS = 64;

/**
 * Batch and page calls are fewer, so every operation moves about `ops` documents (the bench
 * then raises the count to its `minCalls`).
 */
export function callsFor(operation: OperationSpec, ops: number): number {
  return ops === 0 ? 0 : Math.max(1, Math.ceil(ops / operation.docsPerCall));
}
