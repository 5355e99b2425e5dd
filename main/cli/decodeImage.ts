import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** The largest picture file read, and the most pixels decoded: a phone photo fits, a decompression bomb does not. */
export const maxImageFileBytes = 32 * 1024 * 1024;
export const maxImagePixels = 40_000_000;

const isPng = (bytes: Uint8Array) => bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8;

/** A JPEG's size from its first start-of-frame marker (SOF0–SOF15 but DHT, JPG and DAC), walking the segments before it. */
function jpegSize(view: DataView): { width: number; height: number } | null {
  let at = 2;
  while (at + 9 <= view.byteLength) {
    if (view.getUint8(at) !== 0xff) return null;
    const marker = view.getUint8(at + 1);
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    at += 2 + view.getUint16(at + 2);
  }
  return null;
}

/**
 * The picture's width and height as its header declares them (PNG's IHDR, JPEG's SOF), read
 * before anything is decoded; throws when it declares more than `maxImagePixels`.
 */
export function checkImageSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let size: { width: number; height: number } | null = null;
  if (isPng(bytes)) {
    // The signature (8 bytes), then IHDR's length and type (8), then width and height.
    if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') throw new Error('the PNG has no image header (IHDR)');
    size = { width: view.getUint32(16), height: view.getUint32(20) };
  } else if (isJpeg(bytes)) {
    size = jpegSize(view);
    if (!size) throw new Error('the JPEG has no frame header (SOF) giving its size');
  } else {
    throw new Error('it is neither a PNG nor a JPEG');
  }
  if (size.width * size.height > maxImagePixels) {
    throw new Error(`the picture is ${size.width}×${size.height}, more than ${maxImagePixels.toLocaleString('en-US')} pixels; nothing was decoded`);
  }
  return size;
}

/** Decodes a PNG or JPEG (recognised by its first bytes, whatever it is called) into RGBA, once its header's size is within the limit. */
export function decodeImage(bytes: Uint8Array): { rgba: Uint8Array; width: number; height: number } {
  checkImageSize(bytes);
  if (isPng(bytes)) {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { rgba: new Uint8Array(png.data), width: png.width, height: png.height };
  }
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: maxImagePixels / 1e6, maxMemoryUsageInMB: 512 });
  return { rgba: image.data, width: image.width, height: image.height };
}
