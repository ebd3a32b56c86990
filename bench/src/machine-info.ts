import { arch, cpus, platform, release, totalmem } from 'node:os';
import { version as duckdbVersion } from '@duckdb/node-api';

/** The machine a run was measured on: ratios travel between machines, absolute times do not. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemoryMib: number;
  os: string;
  node: string;
  duckdb: string;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    totalMemoryMib: Math.round(totalmem() / 1024 / 1024),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    duckdb: duckdbVersion(),
  };
}
