/**
 * Writes grey 0–255 pixels (white ink on black, as MNIST stores them) into RGBA image data at
 * (x, y) without scaling.
 */
export function putGreyImage(target: ImageData, pixels: Uint8Array, side: number, x: number, y: number): void {
  const data = target.data;
  for (let row = 0; row < side; row++) {
    let o = ((y + row) * target.width + x) * 4;
    for (let col = 0; col < side; col++) {
      const value = pixels[row * side + col]!;
      data[o] = value;
      data[o + 1] = value;
      data[o + 2] = value;
      data[o + 3] = 255;
      o += 4;
    }
  }
}

/** Draws one digit filling a canvas, with hard pixel edges. */
export function drawDigit(canvas: HTMLCanvasElement, pixels: Uint8Array, side: number): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = new ImageData(side, side);
  putGreyImage(image, pixels, side, 0, 0);
  const scratch = new OffscreenCanvas(side, side);
  scratch.getContext('2d')!.putImageData(image, 0, 0);
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}
