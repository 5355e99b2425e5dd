import type { CreateEnsembleRequest, EnsembleMember, Evaluation, RunSpec, RunSummary } from '../../../shared/apiTypes';
import { apiFailure } from '../../../shared/apiErrorReasons';
import { analyzeStack } from '../../../shared/layers/inferShapes';
import { scorePredictions } from '../../../shared/metrics/classificationMetrics';
import { meanProbabilities } from '../../../shared/metrics/meanProbabilities';
import { uniqueRunName } from '../../../shared/runs/uniqueRunName';
import type { RunStore } from '../runs/runStore';

/** Run names are at most this long (RunSpecSchema). */
const maxNameLength = 120;

/** A member as the checks need it: its summary, spec and evaluation. */
interface Candidate {
  run: RunSummary;
  spec: RunSpec;
  evaluation: Evaluation;
}

/** "Ensemble of A + B + C", cut to a run name's length. */
function defaultName(runs: RunSummary[]): string {
  const name = `Ensemble of ${runs.map((r) => r.name).join(' + ')}`;
  return name.length <= maxNameLength ? name : `${name.slice(0, maxNameLength - 1)}…`;
}

/**
 * Makes ensembles: a run whose prediction for each digit is the mean of its members' softmax
 * outputs. Members must be finished single models evaluated on the same test digits; the
 * ensemble's test-set evaluation is then the mean of theirs, image by image, exactly what
 * averaging the models on those digits gives.
 */
export class EnsembleBuilder {
  constructor(private readonly runs: RunStore) {}

  async create(request: CreateEnsembleRequest): Promise<RunSummary> {
    const all = await this.runs.list();
    const chosen = request.runIds.map((runId, i) => {
      const run = all.find((r) => r.id === runId);
      if (!run) throw apiFailure('not-found', 'run.notFound', { id: runId });
      if (request.runIds.indexOf(runId) !== i) throw apiFailure('invalid-request', 'ensemble.repeated', { name: run.name });
      if (run.ensembleOf) throw apiFailure('invalid-request', 'ensemble.nested', { name: run.name });
      if (run.status === 'running') throw apiFailure('conflict', 'ensemble.notFinished', { name: run.name });
      if (!run.hasCheckpoint) throw apiFailure('invalid-request', 'ensemble.noCheckpoint', { name: run.name });
      if (!run.hasEvaluation) throw apiFailure('invalid-request', 'ensemble.noEvaluation', { name: run.name });
      return run;
    });
    const candidates = await Promise.all(chosen.map((run) => this.candidate(run)));
    checkCompatible(candidates);
    const probabilities = meanProbabilities(candidates.map((c) => c.evaluation.probabilities));
    const labels = candidates[0]!.evaluation.labels;
    const scores = scorePredictions(probabilities, labels);
    const members: EnsembleMember[] = candidates.map(({ run }) => ({ runId: run.id, name: run.name, testAccuracy: run.testAccuracy ?? 0, params: run.params }));
    const name = uniqueRunName(
      request.name ?? defaultName(chosen),
      all.map((r) => r.name),
    );
    const spec: RunSpec = { ...candidates[0]!.spec, name, presetId: null };
    return this.runs.createEnsemble(spec, members, { testLoss: scores.loss, testAccuracy: scores.accuracy, labels, probabilities });
  }

  private async candidate(run: RunSummary): Promise<Candidate> {
    const [spec, evaluation] = await Promise.all([this.runs.spec(run.id), this.runs.evaluation(run.id)]);
    const analysis = spec ? analyzeStack(spec.layers) : null;
    if (!spec || !analysis?.ok) throw apiFailure('bad-data', 'ensemble.noSpec', { name: run.name });
    return { run, spec, evaluation };
  }
}

/**
 * Refuses, with the reason, members that cannot be averaged. Every sound run reads a 28×28×1
 * image and ends in the ten digits' softmax (the spec schema and analyzeStack hold every stack
 * to that), so what can differ is the test digits they were evaluated on.
 */
function checkCompatible(candidates: Candidate[]): void {
  const first = candidates[0]!;
  for (const c of candidates) {
    const name = c.run.name;
    if (c.evaluation.count !== first.evaluation.count) {
      throw apiFailure('invalid-request', 'ensemble.otherTestDigits', {
        name,
        count: c.evaluation.count,
        first: first.run.name,
        firstCount: first.evaluation.count,
      });
    }
    if (c.evaluation.labels.some((label, i) => label !== first.evaluation.labels[i])) {
      throw apiFailure('invalid-request', 'ensemble.otherLabels', { name, first: first.run.name });
    }
  }
}
