import type { LabApi } from '../../../shared/api';
import type { Checkpoint, RunSummary } from '../../../shared/apiTypes';

/** Every model that reads an image for `run`: its checkpoint, or each of an ensemble's members'. */
export function runCheckpoints(api: LabApi, run: Pick<RunSummary, 'id' | 'ensembleOf'>): Promise<Checkpoint[]> {
  if (!run.ensembleOf) return api.getCheckpoint({ runId: run.id }).then((checkpoint) => [checkpoint]);
  return Promise.all(run.ensembleOf.map((_, member) => api.getCheckpoint({ runId: run.id, member })));
}
