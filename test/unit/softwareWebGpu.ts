import { existsSync } from 'node:fs';

// WebGPU on a machine without a GPU means the software adapter (SwiftShader) Debian's chromium
// ships, found by Dawn through the Vulkan loader (libvulkan1; .ci/run installs both): slow, but
// exact, so the WebGPU tests and the conformance run use it.

const swiftShader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const vulkanLoaders = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'];

/** Why WebGPU's software adapter cannot run here, or null when it can. */
export function softwareWebGpuUnavailable(): string | null {
  if (!existsSync(swiftShader)) return `chromium's SwiftShader driver is not at ${swiftShader} (apt-get install chromium)`;
  return vulkanLoaders.some((path) => existsSync(path)) ? null : 'no Vulkan loader (apt-get install libvulkan1)';
}
