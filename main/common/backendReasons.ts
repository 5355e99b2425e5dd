/**
 * The worker's reason when Dawn offers no adapter; the host replaces it with what Dawn printed
 * (main/core/workerOutput.ts), which says why it turned the one it saw down.
 */
export const noAdapterReason = 'Dawn found no WebGPU adapter';
