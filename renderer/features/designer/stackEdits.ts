import type { LayerSpec } from '../../../shared/layers/layerSpec';

// Pure edits of a layer stack. Position 0 is the input, which never moves and is never removed.

/** Inserts `layer` at `at` (1 … length). */
export function insertLayer(layers: readonly LayerSpec[], layer: LayerSpec, at: number): LayerSpec[] {
  const index = Math.max(1, Math.min(layers.length, at));
  return [...layers.slice(0, index), layer, ...layers.slice(index)];
}

/** Moves the layer at `from` so that it ends up at index `to`. */
export function moveLayer(layers: readonly LayerSpec[], from: number, to: number): LayerSpec[] {
  if (from < 1 || from >= layers.length) return [...layers];
  const target = Math.max(1, Math.min(layers.length - 1, to));
  const rest = layers.filter((_, i) => i !== from);
  return [...rest.slice(0, target), layers[from]!, ...rest.slice(target)];
}

export function removeLayer(layers: readonly LayerSpec[], index: number): LayerSpec[] {
  return index < 1 ? [...layers] : layers.filter((_, i) => i !== index);
}

export function duplicateLayer(layers: readonly LayerSpec[], index: number): LayerSpec[] {
  return index < 1 || index >= layers.length ? [...layers] : insertLayer(layers, { ...layers[index]! }, index + 1);
}

/** Replaces fields of the layer at `index`; the result is checked against the schema by the caller's analysis. */
export function updateLayer(layers: readonly LayerSpec[], index: number, patch: Record<string, unknown>): LayerSpec[] {
  return layers.map((layer, i) => (i === index ? ({ ...layer, ...patch } as LayerSpec) : layer));
}
