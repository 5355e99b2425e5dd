import { ApiError, type ApiErrorCode } from './apiError';
import { fillTemplate } from './fillTemplate';

/**
 * The errors a user of the app meets, worded in English as the server and the CLI say them. Each crosses the API with
 * its key and parameters, so the renderer words it in the user's language (its catalogue has `api.<key>`).
 */
export const apiErrorReasons = {
  'model.unbuildable': 'the model cannot be built: {problems}',
  'model.tooLarge': 'the model is too large to train: {detail}',
  'training.busy': '"{name}" is training; stop it before starting another run',
  'training.notMnistSized': 'dataset {name} is not 28×28',
  'run.notFound': 'no run with id {id}',
  'run.training': 'this run is training; stop it before deleting it',
  'run.noEvaluation': 'run {id} has no evaluation yet',
  'run.noCheckpoint': 'run {id} has no checkpoint yet',
  'run.damagedFile': 'run {id}: {file} is damaged ({detail})',
  'run.damagedCheckpoint': 'run {id}: its checkpoint is damaged ({detail})',
  'run.evaluationMismatch': 'run {id}: eval.json does not match the run: {detail}',
  'run.ensembleCheckpoint': "run {id} is an ensemble of {count} models; ask for one member's checkpoint",
  'run.noMember': 'run {id} has no model {member}',
  'ensemble.repeated': 'run {name} is named twice; an ensemble takes each run once',
  'ensemble.notFinished': 'run {name} is still training; an ensemble takes finished runs',
  'ensemble.nested': 'run {name} is an ensemble itself; choose its members instead',
  'ensemble.noCheckpoint': 'run {name} has no checkpoint to read digits with',
  'ensemble.noEvaluation': 'run {name} has no test-set evaluation yet',
  'ensemble.noSpec': 'run {name} has no readable spec.json, so its input is unknown',
  'ensemble.otherTestDigits':
    "run {name} was evaluated on {count} test digits and {first} on {firstCount}; an ensemble's runs are evaluated on the same digits",
  'ensemble.otherLabels': "run {name} was evaluated on other test digits than {first}; an ensemble's runs are evaluated on the same digits",
  'export.ensembleKeras':
    "an ensemble of {count} models exports as one TensorFlow.js model (its members side by side, averaged); for Keras files, export its members' runs one by one",
  'run.exportFailed': 'run {id} cannot be exported: {detail}',
  'export.busy': 'another export is being checked; wait until it is done',
  'export.parityFailed':
    'the exported file was not offered: read back, it predicts {changed} of {count} test digits differently from the run (largest probability difference {difference})',
  'export.sketchParityFailed':
    'the exported file was not offered: read back, it reads {changed} of your {count} last sketches differently from the run (largest probability difference {difference})',
  'export.checkFailed': 'the exported file was not offered: it could not be checked ({detail})',
  'sweep.invalid': 'the sweep cannot start: {problems}',
  'sweep.notFound': 'no sweep with id {id}',
  'sweep.damaged': 'sweep {id}: its queue file is damaged ({detail})',
  'sweep.notPending': 'run {position} of the sweep is not waiting to train; only waiting runs move',
  'dataset.notFound': 'no dataset with id {id}',
  'dataset.builtIn': 'the embedded MNIST cannot be removed',
  'dataset.importFailed': 'cannot import {name}: {detail}',
  'dataset.wrongSize': "cannot import {name}: images are {rows}×{columns}, MNIST Lab's models take 28×28",
  'dataset.nameTaken': 'cannot import {name}: too many datasets share its name',
  'dataset.unreadable': 'dataset {name} cannot be read: {detail}',
  'dataset.damagedFile': 'dataset {id}: {file} is damaged ({detail})',
  'import.busy': 'another model is being imported; wait until it is done',
  'import.failed': '{name} cannot be imported: {detail}',
  'import.unloadable': '{name} could not be loaded: {detail}',
  'lesson.unsaved': 'the lesson progress cannot be saved: {detail}',
  'server.busy': 'more than {count} requests are waiting; wait for their answers',
  'server.answerTooLarge': 'the answer is {megabytes} MB, more than browser mode sends at once ({limit} MB); the desktop app or `npm run export` handle it',
  'connection.closed': 'the connection to MNIST Lab closed',
} as const;

export type ApiErrorReasonKey = keyof typeof apiErrorReasons;

/** An ApiError for one of the reasons above: its English message filled in from the same parameters it carries. */
export function apiFailure(code: ApiErrorCode, key: ApiErrorReasonKey, params: Record<string, string | number> = {}): ApiError {
  const message = fillTemplate(apiErrorReasons[key], (name) => (name in params ? String(params[name]) : undefined));
  return new ApiError(code, message, { key, params });
}
