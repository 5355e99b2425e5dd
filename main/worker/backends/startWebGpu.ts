import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { errorMessage } from '../../../shared/errorMessage';
import { backendReason, type BackendReason } from '../../../shared/backendReasons';
import { registerFastWebGpuKernels } from '../kernels/webgpu/registerFastWebGpuKernels';

/** The Vulkan driver Debian's chromium package ships: a software adapter, exact but slow, for machines without a GPU. */
const swiftShaderDriver = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The device tfjs' WebGPU backend runs on, once tryWebGpu has set it; our engine shares it. */
let startedDevice: GPUDevice | null = null;

/** The WebGPU device in use, or null before tryWebGpu succeeds. */
export const webGpuDevice = (): GPUDevice | null => startedDevice;

export interface WebGpuAttempt {
  /** Why WebGPU cannot train here, or null when it is registered and set. */
  reason: BackendReason | null;
  /** The adapter, as the badge names it. */
  adapterName: string | null;
  software: boolean;
}

interface AdapterInfoLike {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** SwiftShader, llvmpipe and other CPU rasterisers: WebGPU through them is slower than training on the CPU. */
function isSoftware(info: AdapterInfoLike, isFallback: boolean): boolean {
  return isFallback || /swiftshader|llvmpipe|lavapipe|software/i.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
}

/**
 * Loads Dawn (the npm package `webgpu`), finds an adapter and registers tfjs' WebGPU backend on it.
 * tfjs only starts WebGPU where it believes it is in a browser, so the backend is registered with
 * our own factory around WebGPUBackend. `auto` refuses a software adapter; a forced `webgpu` takes
 * one, and adds the chromium package's SwiftShader driver where it is installed. Our kernels
 * (kernels/webgpu/) are registered over the stock ones.
 */
export async function tryWebGpu(forced: boolean, { fastKernels = true } = {}): Promise<WebGpuAttempt> {
  const none = (reason: BackendReason): WebGpuAttempt => ({ reason, adapterName: null, software: false });
  if (forced && existsSync(swiftShaderDriver)) process.env.VK_ADD_DRIVER_FILES ??= swiftShaderDriver;
  let dawn: typeof import('webgpu');
  try {
    dawn = await import('webgpu');
  } catch (error) {
    return none(backendReason('dawnLoad', { detail: errorMessage(error).split('\n')[0]! }));
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  // tfjs' WebGPU backend checks for navigator.gpu, as in a browser (Node 20 has no navigator at all).
  if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
  Object.defineProperty((globalThis as unknown as { navigator: object }).navigator, 'gpu', { value: gpu, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) {
    return none(backendReason('noAdapter'));
  }
  const info = adapter.info as unknown as AdapterInfoLike;
  const software = isSoftware(info, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true);
  const adapterName = `${info.description || info.device || info.vendor}${software ? ' (software)' : ''}`;
  if (software && !forced) return { reason: backendReason('softwareAdapter', { adapter: adapterName }), adapterName, software };
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    },
  });
  // require, not import(): the package's ESM build would bring a second tfjs-core with its own registry.
  const { WebGPUBackend } = require('@tensorflow/tfjs-backend-webgpu') as typeof import('@tensorflow/tfjs-backend-webgpu');
  // Without them only for the conformance run, which compares ours with the stock kernels.
  if (fastKernels) registerFastWebGpuKernels();
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => new WebGPUBackend(device, adapter.info));
  startedDevice = device;
  return (await tf.setBackend('webgpu')) ? { reason: null, adapterName, software } : { reason: backendReason('webGpuInit'), adapterName, software };
}
