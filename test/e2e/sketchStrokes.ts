import type { Page } from '@playwright/test';

/** Draws strokes (lists of points on the 280 × 280 canvas) with the mouse. */
export async function draw(page: Page, strokes: [number, number][][]) {
  const box = (await page.getByTestId('sketch-canvas').boundingBox())!;
  for (const stroke of strokes) {
    await page.mouse.move(box.x + stroke[0]![0], box.y + stroke[0]![1]);
    await page.mouse.down();
    for (const [x, y] of stroke.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 5 });
    await page.mouse.up();
  }
}

const ring = Array.from(
  { length: 25 },
  (_, i) => [140 + 60 * Math.sin((i / 24) * 2 * Math.PI), 140 - 95 * Math.cos((i / 24) * 2 * Math.PI)] as [number, number],
);
/** A 1, a 0 and a 7 as a person draws them, with the digit each should read as. */
export const digits: [string, [number, number][][]][] = [
  [
    '1',
    [
      [
        [140, 40],
        [140, 240],
      ],
    ],
  ],
  ['0', [ring]],
  [
    '7',
    [
      [
        [70, 50],
        [210, 50],
        [120, 240],
      ],
    ],
  ],
];
