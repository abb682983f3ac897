import { availableParallelism, cpus } from 'node:os';

/** The machine a run measured on, recorded with every report. */
export interface MachineInfo {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
}

export function describeMachine(): MachineInfo {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
  };
}
