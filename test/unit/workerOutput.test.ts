import { describe, expect, it } from 'vitest';
import { WorkerOutput, withDawnNotes } from '../../main/core/workerOutput';
import { backendReason, wordBackendReason } from '../../shared/backendReasons';
import type { BackendReport } from '../../shared/apiTypes';

// What a worker printed on a machine with Mesa's lavapipe and no display (2026-12-01).
const chatter = [
  'error: XDG_RUNTIME_DIR is invalid or not set in the environment.',
  'error: XDG_RUNTIME_DIR is invalid or not set in the environment.',
  'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.',
  ' - While initializing adapter (backend=BackendType::Vulkan)',
  '    at InitializeImpl (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/PhysicalDeviceVk.cpp:257)',
  '',
  '============================',
  'Hi, looks like you are running TensorFlow.js in Node.js. To speed things up dramatically, install our node backend, visit https://github.com/tensorflow/tfjs-node for more details. ',
  '============================',
].join('\n');

function sort(text: string, chunkSize: number): { printed: string; notes: string[] } {
  let printed = '';
  const output = new WorkerOutput((line) => (printed += line));
  for (let i = 0; i < text.length; i += chunkSize) output.write(text.slice(i, i + chunkSize));
  output.end();
  return { printed, notes: output.dawnNotes() };
}

const report: BackendReport = {
  requested: 'auto',
  active: 'wasm',
  candidates: [
    { name: 'webgpu', packageName: 'webgpu', available: false, reason: wordBackendReason(backendReason('noAdapter')), why: backendReason('noAdapter') },
    { name: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm', available: true, reason: null, why: null },
  ],
  gpu: null,
  tfjsVersion: '4.22.0',
};

describe("a worker's console output", () => {
  it.each([1, 7, 4096])('keeps Dawn’s warning as one note, drops the rest of the chatter, and lets other lines out (chunks of %i)', (chunkSize) => {
    const { printed, notes } = sort(`${chatter}\nMNIST Lab: training on one thread, the helper threads did not start: boom\npartial`, chunkSize);
    expect(notes).toEqual(['Vulkan shaderUniform*ArrayDynamicIndexing required, while initializing adapter']);
    expect(printed).toBe('MNIST Lab: training on one thread, the helper threads did not start: boom\npartial\n');
    expect(printed).not.toContain('/home/runner');
  });

  it('keeps a few distinct notes, not a growing log', () => {
    const warnings = Array.from({ length: 50 }, (_, i) => `Warning: adapter ${i % 10} turned down.`).join('\n');
    const { notes } = sort(`${warnings}\n`, 64);
    expect(notes).toHaveLength(4);
    expect(new Set(notes).size).toBe(4);
  });

  it('lets out a line that never ends instead of holding it', () => {
    const { printed } = sort('x'.repeat(10_000), 1000);
    expect(printed.length).toBeGreaterThan(9000);
  });

  it("puts Dawn's findings in the WebGPU reason: what it turned down, instead of a guess", () => {
    const explained = withDawnNotes(report, ['Vulkan shaderUniform*ArrayDynamicIndexing required, while initializing adapter']);
    expect(explained.candidates[0]!.reason).toBe(
      'Dawn found no WebGPU adapter it can use; it turned one down: Vulkan shaderUniform*ArrayDynamicIndexing required, while initializing adapter',
    );
    expect(explained.candidates[0]!.why).toEqual({
      key: 'adapterTurnedDown',
      params: { notes: 'Vulkan shaderUniform*ArrayDynamicIndexing required, while initializing adapter' },
    });
    expect(explained.candidates[1]!.reason).toBeNull();
    expect(withDawnNotes(report, [])).toBe(report);
    // Any other WebGPU reason keeps its own words and gains Dawn's.
    const software = backendReason('softwareAdapter', { adapter: 'SwiftShader (software)' });
    const passedOver = withDawnNotes({ ...report, candidates: [{ ...report.candidates[0]!, reason: wordBackendReason(software), why: software }] }, ['a note']);
    expect(passedOver.candidates[0]!.reason).toBe('only a software adapter (SwiftShader (software)): slower than training on the CPU. Dawn said: a note');
  });
});
