// Builds our own wasm kernels from C (main/worker/kernels/wasm/native/*.c) into the .wasm files
// committed beside them, twice each: plain 128-bit SIMD, and relaxed SIMD (fused multiply-add).
// Needs clang and wasm-ld with the wasm32 target (Debian: apt-get install clang-19 lld-19); the
// tests and the app use the committed files and need neither.
//
// The modules import tfjs' own heap, so they must not write anything of their own into it: the
// build fails if a module has a data segment or touches the linear-memory stack.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Each folder's sources link into one module, nativeKernels.<flavour>.wasm.
const sourceFolders = ['main/worker/kernels/wasm/native'];
const flavours = {
  simd: ['-msimd128'],
  relaxed: ['-msimd128', '-mrelaxed-simd', '-DRELAXED_SIMD'],
};

function findClang() {
  for (const name of ['clang-19', 'clang-20', 'clang-18', 'clang']) {
    try {
      execFileSync(name, ['--target=wasm32', '-msimd128', '-mrelaxed-simd', '-x', 'c', '-c', '-o', '/dev/null', '-'], {
        input: '',
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      return name;
    } catch {
      // Not installed, or too old for relaxed SIMD: try the next.
    }
  }
  throw new Error('no clang with the wasm32 target and relaxed SIMD (clang 16 or later) was found: apt-get install clang-19 lld-19');
}

/** The ids of a module's sections (https://webassembly.github.io/spec/core/binary/modules.html). */
function sectionIds(bytes) {
  const ids = [];
  let i = 8;
  const leb = () => {
    let value = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[i++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  while (i < bytes.length) {
    ids.push(bytes[i++]);
    const size = leb();
    i += size;
  }
  return ids;
}

/** One hash of a folder's C sources and headers, by name and content. */
function sourcesHash(folder) {
  const hash = createHash('sha256');
  for (const name of readdirSync(folder)
    .filter((n) => /\.[ch]$/.test(n))
    .sort())
    hash.update(`${name}\0${readFileSync(join(folder, name), 'utf8')}\0`);
  return hash.digest('hex');
}

const dataSection = 11;
const clang = findClang();
const common = ['--target=wasm32', '-O3', '-ffreestanding', '-nostdlib', '-Wall', '-Wextra', '-Werror'];
const linker = ['-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--strip-all'];
for (const folder of sourceFolders) {
  const sources = readdirSync(folder)
    .filter((name) => name.endsWith('.c'))
    .sort()
    .map((name) => join(folder, name));
  for (const [flavour, flags] of Object.entries(flavours)) {
    for (const source of sources) {
      const assembly = execFileSync(clang, [...common, ...flags, '-S', '-o', '-', source], { encoding: 'utf8' });
      if (assembly.includes('__stack_pointer'))
        throw new Error(`${source} (${flavour}) uses the linear-memory stack, which would be tfjs' heap: keep helpers inlined and arrays unrolled`);
    }
    const output = join(folder, `nativeKernels.${flavour}.wasm`);
    execFileSync(clang, [...common, ...flags, ...linker, '-o', output, ...sources], { stdio: 'inherit' });
    const bytes = readFileSync(output);
    if (sectionIds(bytes).includes(dataSection)) throw new Error(`${output} has a data segment, which would be written into tfjs' heap`);
    process.stdout.write(`${output}: ${bytes.length} bytes from ${sources.length} sources (${clang})\n`);
  }
  // test/unit/nativeWasmModules.test.ts compares this with the sources, so a C change without a rebuild fails the tests.
  writeFileSync(join(folder, 'nativeKernels.sources.sha256'), `${sourcesHash(folder)}\n`);
}
