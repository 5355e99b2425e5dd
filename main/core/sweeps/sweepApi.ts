import type { LabApi } from '../../../shared/api';
import type { SweepRunner } from './sweepRunner';

/** The API's sweep methods, carried to the runner. */
export function sweepApi(sweeps: SweepRunner): Pick<LabApi, 'startSweep' | 'listSweeps' | 'pauseSweep' | 'resumeSweep' | 'cutSweep' | 'moveSweepRun'> {
  return {
    startSweep: (spec) => sweeps.create(spec),
    listSweeps: () => sweeps.list(),
    pauseSweep: ({ sweepId }) => sweeps.pause(sweepId),
    resumeSweep: ({ sweepId }) => sweeps.unpause(sweepId),
    cutSweep: ({ sweepId }) => sweeps.cut(sweepId),
    moveSweepRun: ({ sweepId, from, to }) => sweeps.move(sweepId, from, to),
  };
}
