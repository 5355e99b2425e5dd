import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The CUDA libraries libtensorflow 2.9 (inside tfjs-node-gpu 4.x) opens at start-up: CUDA 11.2
 * and cuDNN 8.1. When one is missing TensorFlow quietly runs on the CPU, so we look ourselves.
 */
const linuxLibraries = [
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
];
const windowsLibraries = [
  'cudart64_110.dll',
  'cublas64_11.dll',
  'cufft64_10.dll',
  'curand64_10.dll',
  'cusolver64_11.dll',
  'cusparse64_11.dll',
  'cudnn64_8.dll',
];

export interface GpuDevice {
  name: string;
  memoryMB: number | null;
}

/** GPUs the NVIDIA driver sees, via nvidia-smi; empty when there is no driver or no GPU. */
export function listNvidiaGpus(): GpuDevice[] {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [name, memory] = line.split(',').map((s) => s.trim());
        const memoryMB = Number(memory);
        return { name: name ?? 'NVIDIA GPU', memoryMB: Number.isFinite(memoryMB) ? memoryMB : null };
      });
  } catch {
    return [];
  }
}

function librarySearchPath(): string[] {
  const dirs = (process.env[process.platform === 'win32' ? 'PATH' : 'LD_LIBRARY_PATH'] ?? '').split(delimiter).filter(Boolean);
  if (process.platform !== 'win32') {
    dirs.push('/usr/local/cuda/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib');
    try {
      const cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
      for (const match of cache.matchAll(/=>\s*(\S+)\/[^/\s]+$/gm)) dirs.push(match[1]!);
    } catch {
      // ldconfig is missing on some distributions; the fixed folders above still get searched.
    }
  }
  return [...new Set(dirs)];
}

/** The CUDA/cuDNN libraries that cannot be found where the dynamic loader would look. */
export function missingCudaLibraries(): string[] {
  const wanted = process.platform === 'win32' ? windowsLibraries : linuxLibraries;
  const dirs = librarySearchPath();
  return wanted.filter((lib) => !dirs.some((dir) => existsSync(join(dir, lib))));
}
