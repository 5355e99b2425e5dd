import { build, type Plugin } from 'esbuild';
import { fileSuiteName } from './specResult';

/** A virtual module that loads each test file inside a describe named after it. */
function opTestsModule(files: readonly string[]): Plugin {
  return {
    name: 'conformance-op-tests',
    setup(builder) {
      builder.onResolve({ filter: /^conformance:op-tests$/ }, (args) => ({ path: args.path, namespace: 'op-tests' }));
      builder.onLoad({ filter: /.*/, namespace: 'op-tests' }, () => ({
        contents: files
          .map((file) => `describe(${JSON.stringify(fileSuiteName(file))}, () => { require(${JSON.stringify(`@tensorflow/tfjs-core/dist/${file}`)}); });`)
          .join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
      }));
    },
  };
}

/**
 * Bundles the suite process with the test files. They are ES modules with relative imports of
 * tfjs-core's own sources, so everything, tfjs-core and the wasm backend included, is bundled
 * from the packages' ES module builds: one copy of tfjs-core for the tests, the backend and our
 * kernels. Annotations are ignored so the test files' side effects (their describes) are kept.
 */
export async function buildSuite(files: readonly string[], outfile: string): Promise<void> {
  await build({
    entryPoints: ['test/conformance/suiteProcess.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['module', 'main'],
    // Our own wasm kernels, as scripts/build.mjs bundles them.
    loader: { '.wasm': 'binary' },
    ignoreAnnotations: true,
    // jasmine reads its own files at run time, and Dawn is a native addon: both stay in node_modules.
    external: ['jasmine', 'jasmine-core', 'jasmine-core/*', 'webgpu'],
    logLevel: 'error',
    plugins: [opTestsModule(files)],
  });
}
