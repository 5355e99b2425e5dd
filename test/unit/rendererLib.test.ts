import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../../shared/apiTypes';
import { backendLabel } from '../../renderer/lib/backendLabel';
import { formatCount } from '../../renderer/lib/formatCount';
import { gridKeyMove } from '../../renderer/lib/gridKeyMove';
import { computeGridLayout, positionAt, scrollToReveal } from '../../renderer/lib/gridLayout';
import { formatNormalised, pixelCellColors } from '../../renderer/lib/pixelFormat';
import { downsampleLttb } from '../../renderer/lib/downsample';
import { reconnectDelay, reconnectDelaysMs } from '../../renderer/lib/reconnectSchedule';
import { countMessage, translate, type MessageKey, type MessageParams } from '../../renderer/lib/i18n/messages';

const english = (key: MessageKey, params?: MessageParams) => translate('en', key, params);
const korean = (key: MessageKey, params?: MessageParams) => translate('ko', key, params);

describe('the image grid layout', () => {
  const layout = computeGridLayout(600, 300, 1200, 60_000, 60);

  it('draws only the rows in view of 60,000 images', () => {
    expect(layout).toMatchObject({ columns: 10, rows: 6000, contentHeight: 360_000, firstRow: 20, lastRow: 25, firstPosition: 200, lastPosition: 259 });
  });

  it('finds the image under a click, and none past the last one', () => {
    expect(positionAt(layout, 130, 1210, 60_000)).toBe(202);
    expect(positionAt(computeGridLayout(600, 300, 0, 5, 60), 400, 10, 5)).toBeNull();
  });

  it('scrolls just enough to reveal an image above or below the view', () => {
    expect(scrollToReveal(layout, 150, 1200, 300)).toBe(900);
    expect(scrollToReveal(layout, 305, 1200, 300)).toBe(1560);
    expect(scrollToReveal(layout, 210, 1200, 300)).toBeNull();
  });
});

describe('keys in the image grid', () => {
  it('move by one, a row or a page, and stop at the ends', () => {
    expect(gridKeyMove('ArrowRight', 5, 10, 4, 100)).toBe(6);
    expect(gridKeyMove('ArrowDown', 5, 10, 4, 100)).toBe(15);
    expect(gridKeyMove('PageDown', 5, 10, 4, 100)).toBe(45);
    expect(gridKeyMove('ArrowUp', 3, 10, 4, 100)).toBe(0);
    expect(gridKeyMove('End', 3, 10, 4, 100)).toBe(99);
    expect(gridKeyMove('ArrowDown', null, 10, 4, 100)).toBe(0);
  });

  it('do nothing on an empty list or a key the grid does not use', () => {
    expect(gridKeyMove('ArrowRight', null, 10, 4, 0)).toBeNull();
    expect(gridKeyMove('a', 5, 10, 4, 100)).toBeNull();
  });
});

describe('formatting', () => {
  it('shows pixels as the seed prints them after / 255', () => {
    expect([0, 120, 255].map(formatNormalised)).toEqual(['0', '.47', '1']);
  });

  it('writes counts with thousands separators', () => {
    expect(formatCount(60_000)).toBe('60,000');
  });

  it('names the backend in use, and the GPU with its memory on CUDA', () => {
    const report: BackendReport = { requested: 'auto', active: 'cuda', candidates: [], gpu: { name: 'NVIDIA H200', memoryMB: 143_000 }, tfjsVersion: '4.22.0' };
    expect(backendLabel(report, english)).toBe('CUDA GPU · NVIDIA H200 · 140 GB');
    expect(backendLabel({ ...report, active: 'wasm', gpu: null }, english)).toBe('WebAssembly CPU');
    expect(backendLabel({ ...report, active: 'wasm', gpu: null, wasmSimd: 'relaxed SIMD' }, korean)).toBe('WebAssembly CPU · 완화된 SIMD');
  });
});

describe('reconnecting', () => {
  it('waits longer each time and gives up after a bounded number of attempts', () => {
    expect(reconnectDelay(1)).toBe(500);
    expect(reconnectDelay(2)).toBe(1000);
    expect(reconnectDelaysMs.every((delay, i) => i === 0 || delay >= reconnectDelaysMs[i - 1]!)).toBe(true);
    expect(reconnectDelay(reconnectDelaysMs.length + 1)).toBeNull();
  });
});

describe('the pixel table', () => {
  it.each(['light', 'dark'] as const)('keeps every number readable on its shade in the %s theme (4.5:1 or better)', (theme) => {
    const worst = Math.min(...Array.from({ length: 256 }, (_, value) => pixelCellColors(value, theme).contrast));
    expect(worst).toBeGreaterThanOrEqual(4.5);
    // Faint ink and full ink take opposite text colours.
    expect(pixelCellColors(20, theme).color).not.toBe(pixelCellColors(255, theme).color);
  });
});

describe('counts with their noun', () => {
  it('are singular for exactly one', () => {
    expect([countMessage('en', 'count.images', 1), countMessage('en', 'count.images', 0), countMessage('en', 'count.mistakes', 2000)]).toEqual([
      '1 image',
      '0 images',
      '2,000 mistakes',
    ]);
    expect(countMessage('ko', 'count.images', 1)).toBe('이미지 1장');
  });
});

describe('downsampling a long curve', () => {
  const curve = Array.from({ length: 9000 }, (_, i) => ({ x: i / 300, y: Math.exp(-i / 2000) + (i === 4321 ? 5 : 0) }));

  it('keeps at most the points asked for, the first and the last, in order', () => {
    const kept = downsampleLttb(curve, 600);
    expect(kept).toHaveLength(600);
    expect([kept[0], kept.at(-1)]).toEqual([curve[0], curve.at(-1)]);
    expect(kept.every((p, i) => i === 0 || p.x > kept[i - 1]!.x)).toBe(true);
  });

  it('keeps a spike, which evenly spaced picks would miss', () => {
    expect(downsampleLttb(curve, 600)).toContainEqual(curve[4321]);
    expect(downsampleLttb(curve.slice(0, 100), 600)).toHaveLength(100);
  });
});
