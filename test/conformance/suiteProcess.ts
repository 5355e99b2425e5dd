import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setTestEnvs } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import Jasmine from 'jasmine';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { wordBackendReason } from '../../shared/backendReasons';
import { tryWebGpu } from '../../main/worker/backends/startWebGpu';
import { registerFastWasmKernels } from '../../main/worker/kernels/wasm/registerFastWasmKernels';
import { splitFullName, type SpecResult } from './specResult';

// One conformance run, in its own process: tfjs-core's op tests for our kernels' files on one
// backend, with the stock kernels or with ours (argv: wasm|webgpu, stock|ours, the results
// file). The test files come from the bundler (buildSuite.ts), each wrapped in a describe named
// after it.

const [backend, kernels, resultsFile] = process.argv.slice(2);
if ((backend !== 'wasm' && backend !== 'webgpu') || (kernels !== 'stock' && kernels !== 'ours') || !resultsFile) {
  process.stderr.write('usage: suite.cjs wasm|webgpu stock|ours RESULTS.json\n');
  process.exit(2);
}

async function setUpBackend(): Promise<void> {
  if (backend === 'wasm') {
    // The bundle no longer sits beside the .wasm files; point the backend at them.
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    if (kernels === 'ours') registerFastWasmKernels();
    setTestEnvs([{ name: 'wasm', backendName: 'wasm', isDataSync: true }]);
  } else {
    // Forced, so SwiftShader serves where there is no GPU; WebGPU reads back asynchronously only.
    const attempt = await tryWebGpu(true, { fastKernels: kernels === 'ours' });
    if (attempt.reason) throw new Error(`WebGPU is unavailable: ${wordBackendReason(attempt.reason)}`);
    setTestEnvs([{ name: 'webgpu', backendName: 'webgpu', isDataSync: false }]);
  }
}

function run(): void {
  const runner = new Jasmine();
  runner.jasmine.DEFAULT_TIMEOUT_INTERVAL = 120_000;
  runner.env.configure({ random: false });
  const results: SpecResult[] = [];
  runner.env.addReporter({
    specDone(result) {
      results.push({
        ...splitFullName(result.fullName),
        status: result.status as SpecResult['status'],
        message: result.failedExpectations[0]?.message.slice(0, 300),
      });
    },
    suiteDone(result) {
      const failure = result.failedExpectations[0];
      if (failure) results.push({ ...splitFullName(result.fullName), status: 'errored', message: failure.message.slice(0, 300) });
    },
  });
  require('conformance:op-tests');
  runner.env.execute(undefined, () => {
    writeFileSync(resultsFile!, JSON.stringify(results));
    process.exit(0);
  });
}

setUpBackend().then(run, (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(3);
});
