/** A pixel as the seed shows it after `/ 255`: 0, .47, 1; two decimals fit the 28-column table. */
export function formatNormalised(value: number): string {
  if (value === 0) return '0';
  if (value === 255) return '1';
  return (value / 255).toFixed(2).replace(/^0/, '');
}

type Rgb = readonly [number, number, number];

/** The pixel table's ink and the panel under it, per theme (the panel is app.css's --panel). */
const pixelThemes: Record<'light' | 'dark', { panel: Rgb; ink: Rgb; blank: string }> = {
  light: { panel: [255, 255, 255], ink: [24, 34, 56], blank: '#6d7486' },
  dark: { panel: [26, 30, 39], ink: [255, 255, 255], blank: '#8b93a7' },
};

/** WCAG's relative luminance of an sRGB colour. */
function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG's contrast ratio of two luminances. */
export const contrastRatio = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

/**
 * A pixel cell's shade (ink in proportion to the value, at most 80 %) and the text on it: black
 * or white, whichever contrasts more with that shade, so every number stays readable (at least
 * 4.5:1) from faint grey to full ink; blank (0) cells keep a quiet grey.
 */
export function pixelCellColors(value: number, theme: 'light' | 'dark'): { background: string; color: string; contrast: number } {
  const { panel, ink, blank } = pixelThemes[theme];
  const alpha = (value / 255) * 0.8;
  const shade = panel.map((p, i) => Math.round(p * (1 - alpha) + ink[i]! * alpha)) as unknown as Rgb;
  const background = `rgb(${shade.join(' ')})`;
  const onShade = luminance(shade);
  const [blackContrast, whiteContrast] = [contrastRatio(onShade, 0), contrastRatio(onShade, 1)];
  if (value === 0) return { background, color: blank, contrast: contrastRatio(onShade, luminance(hexRgb(blank))) };
  return blackContrast >= whiteContrast ? { background, color: '#000', contrast: blackContrast } : { background, color: '#fff', contrast: whiteContrast };
}

function hexRgb(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
}
