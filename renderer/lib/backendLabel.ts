import type { BackendReport } from '../../shared/apiTypes';

const names = { cuda: 'CUDA GPU', cpu: 'TensorFlow CPU', wasm: 'WebAssembly CPU', js: 'JavaScript CPU' } as const;

/** The badge text: the backend in use and, on CUDA, the GPU. */
export function backendLabel(report: BackendReport): string {
  if (!report.active) return 'no backend';
  if (report.active === 'cuda' && report.gpu) return `${names.cuda} · ${report.gpu.name}`;
  return names[report.active];
}
