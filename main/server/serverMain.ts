import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/dataDir';
import { forkWorkerLauncher } from '../core/workerHost';
import { backendChoices } from '../../shared/apiTypes';
import { startLabServer, type LabServer } from './labServer';
import { rateLimitedLog } from './serverLog';
import { errorMessage } from '../../shared/errorMessage';

// `npm run serve -- [--port N] [--host H] [--data-dir D] [--gpu N]`: browser mode.

const usage = `usage: npm run serve -- [--port N] [--host 127.0.0.1] [--data-dir DIR] [--gpu INDEX] [--backend ${backendChoices.join('|')}]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string', default: '8737' },
        host: { type: 'string', default: '127.0.0.1' },
        'data-dir': { type: 'string' },
        gpu: { type: 'string' },
        backend: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    return values;
  } catch (error) {
    return fail(errorMessage(error));
  }
}

let shuttingDown = false;

/**
 * Ctrl-C or SIGTERM: a run in training stops after its batch and its best checkpoint is
 * evaluated before the server exits, so quitting loses no run; a second signal quits at once.
 */
function shutDown(server: LabServer): void {
  if (shuttingDown) process.exit(130);
  shuttingDown = true;
  void (async () => {
    if ((await server.service.getTrainingStatus()).state === 'running') {
      process.stderr.write('Stopping the run after its current batch and evaluating its best checkpoint (Ctrl-C again to quit now)…\n');
      await server.service.stopTraining();
      await server.service.whenIdle();
    }
    await server.close();
    process.exit(0);
  })();
}

const args = parse();
if (args.help) {
  process.stdout.write(usage + '\n');
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not ${args.port}`);
const gpuIndex = args.gpu === undefined ? null : Number(args.gpu);
if (gpuIndex !== null && (!Number.isInteger(gpuIndex) || gpuIndex < 0)) fail(`--gpu must be a GPU index (0, 1, …), not ${args.gpu}`);
if (args.backend !== undefined) {
  if (!(backendChoices as readonly string[]).includes(args.backend)) fail(`--backend must be one of ${backendChoices.join(', ')}, not ${args.backend}`);
  process.env.MNIST_LAB_BACKEND = args.backend;
}
const host = args.host!;
if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
  process.stderr.write(`warning: listening on ${host}: anyone who can reach this address and has the token can use this lab and its files\n`);
}

// The last guard of "no request ends the server": whatever escapes a handler is logged, and the
// server keeps serving its other clients and the run in training.
const log = rateLimitedLog();
process.on('uncaughtException', (error) => log('unexpected error', error));
process.on('unhandledRejection', (error) => log('unexpected rejection', error));

startLabServer({
  log,
  host,
  port,
  dataDir: args['data-dir'] ?? defaultDataDir(),
  rendererDir: join(__dirname, '..', 'renderer'),
  launchWorker: forkWorkerLauncher(join(__dirname, 'trainingWorker.cjs')),
  gpuIndex,
}).then(
  (server) => {
    process.stdout.write(`MNIST Lab at ${server.url}\n`);
    process.on('SIGINT', () => shutDown(server));
    process.on('SIGTERM', () => shutDown(server));
  },
  (error: unknown) => fail(`cannot start: ${errorMessage(error)}`),
);
