import type { BackendReport } from '../../shared/apiTypes';

const names = { cuda: 'CUDA GPU', webgpu: 'WebGPU', cpu: 'TensorFlow CPU', wasm: 'WebAssembly CPU', js: 'JavaScript CPU' } as const;

/** The badge text: the backend in use and, on CUDA, the GPU and its memory; on wasm, whether its kernels fuse multiply-add. */
export function backendLabel(report: BackendReport): string {
  if (!report.active) return 'no backend';
  if (report.active === 'webgpu' && report.gpu) return `${names.webgpu} · ${report.gpu.name}`;
  if (report.active === 'cuda' && report.gpu) {
    const memory = report.gpu.memoryMB ? ` · ${Math.round(report.gpu.memoryMB / 1024)} GB` : '';
    return `${names.cuda} · ${report.gpu.name}${memory}`;
  }
  if (report.active === 'wasm' && report.wasmSimd) return `${names.wasm} · ${report.wasmSimd}`;
  return names[report.active];
}
