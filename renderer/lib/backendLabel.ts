import type { BackendReport } from '../../shared/apiTypes';
import type { MessageKey, MessageParams } from './i18n/messages';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The badge text: the backend in use and, on CUDA, the GPU and its memory; on wasm, whether its kernels fuse multiply-add. */
export function backendLabel(report: BackendReport, t: Translate): string {
  if (!report.active) return t('backend.none');
  const name = t(`backend.${report.active}`);
  if (report.active === 'webgpu' && report.gpu) return `${name} · ${report.gpu.name}`;
  if (report.active === 'cuda' && report.gpu) {
    const memory = report.gpu.memoryMB ? ` · ${Math.round(report.gpu.memoryMB / 1024)} GB` : '';
    return `${name} · ${report.gpu.name}${memory}`;
  }
  if (report.active === 'wasm' && report.wasmSimd) return `${name} · ${report.wasmSimd === 'relaxed SIMD' ? t('backend.relaxedSimd') : report.wasmSimd}`;
  return name;
}
