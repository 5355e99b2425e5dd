import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** The largest picture file read, and the most pixels decoded: a phone photo fits, a decompression bomb does not. */
export const maxImageFileBytes = 32 * 1024 * 1024;
const maxImagePixels = 40_000_000;

/** Decodes a PNG or JPEG (recognised by its first bytes, whatever it is called) into RGBA. */
export function decodeImage(bytes: Uint8Array): { rgba: Uint8Array; width: number; height: number } {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (isPng) {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (png.width * png.height > maxImagePixels) throw new Error(`the picture is ${png.width}×${png.height}, more than ${maxImagePixels.toLocaleString('en-US')} pixels`);
    return { rgba: new Uint8Array(png.data), width: png.width, height: png.height };
  }
  if (isJpeg) {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxImagePixels / 1e6, maxMemoryUsageInMB: 512 });
    return { rgba: image.data, width: image.width, height: image.height };
  }
  throw new Error('it is neither a PNG nor a JPEG');
}
