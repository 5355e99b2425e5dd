import { isFinishedRun, type RunSummary } from '../../shared/apiTypes';
import type { LabService } from '../core/labService';
import { UsageError } from './cliArgs';

/** The run `--run` names (an id, or latest: the newest finished run), among those with a checkpoint; a UsageError saying why when there is none. */
export async function chooseRunWithCheckpoint(service: LabService, wanted: string): Promise<RunSummary> {
  const runs = (await service.listRuns()).filter((r) => r.hasCheckpoint);
  const run = wanted === 'latest' ? (runs.find(isFinishedRun) ?? runs[0]) : runs.find((r) => r.id === wanted);
  if (!run)
    throw new UsageError(
      wanted === 'latest' ? 'there is no trained run yet: train one with `npm run train -- --preset seed-cnn`' : `no run ${wanted} with a checkpoint`,
    );
  return run;
}
