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

/** Batch and page calls are fewer, so every operation moves about `ops` documents. */
export function callsFor(operation: OperationSpec, ops: number): number {
  return ops === 0 ? 0 : Math.max(1, Math.ceil(ops / operation.docsPerCall));
}
