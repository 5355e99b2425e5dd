import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './tempDir';

// WebGPU on this machine means the software adapter (SwiftShader) Debian's chromium ships, found
// by Dawn through the Vulkan loader (libvulkan1, which .ci/run installs): slow, but exact.
const swiftShader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const vulkanLoader = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'].some((path) => existsSync(path));
const skipReason = !existsSync(swiftShader) ? `chromium's SwiftShader driver is not at ${swiftShader}` : !vulkanLoader ? 'no Vulkan loader (apt-get install libvulkan1)' : null;
if (skipReason) console.log(`Skipping the WebGPU training test: ${skipReason}`);

describe('training on WebGPU', () => {
  it.skipIf(skipReason !== null)('a forced --backend webgpu trains the seed baseline on the software adapter and says so', () => {
    const cli = join(process.cwd(), 'dist', 'main', 'cli.cjs');
    const result = spawnSync(process.execPath, [cli, 'train', '--preset', 'seed-mlp', '--backend', 'webgpu', '--limit', '600', '--test-limit', '300', '--epochs', '1', '--json', '--data-dir', tempDir('webgpu')], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'backend', active: 'webgpu' });
    expect(lines.at(-1)).toMatchObject({ type: 'done' });
    expect(lines.at(-1)!.testAccuracy as number).toBeGreaterThanOrEqual(0.6);
  }, 240_000);
});
