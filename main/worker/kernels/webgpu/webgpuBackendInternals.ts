import type { DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** A uniform a program declares in `uniforms`, in order. */
export interface ProgramUniform {
  type: 'int32' | 'float32' | 'uint32';
  data: number[];
}

/**
 * The parts of tfjs-backend-webgpu's WebGPUBackend our kernels use (its typings need the WebGPU
 * DOM types, which the worker does not load): running a program, and freeing a temporary.
 */
export interface WebGpuBackend {
  runWebGPUProgram(program: WebGPUProgram, inputs: TensorInfo[], outputDtype: DataType, uniforms?: ProgramUniform[]): TensorInfo;
  disposeData(dataId: DataId): boolean;
}

export type { WebGPUProgram };
