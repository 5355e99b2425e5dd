import { SvelteMap } from 'svelte/reactivity';
import type { LabApi } from '../../shared/api';
import type { ImagePage, Split } from '../../shared/apiTypes';

export const pageSize = 512;

/**
 * Pages of one filtered split, fetched on demand and kept (a full split is at most 118 pages
 * of 400 KB). Pages live in a reactive map, so whatever drew from `pageAt` redraws when one
 * arrives. Concurrent requests for one page share a fetch.
 */
export class ImagePageCache {
  private readonly pages = new SvelteMap<number, ImagePage>();
  // Bookkeeping, not state: nothing is drawn from requests in flight.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly inFlight = new Map<number, Promise<ImagePage>>();

  constructor(
    private readonly api: LabApi,
    readonly datasetId: string,
    readonly split: Split,
    readonly label: number | null,
  ) {}

  /** The page holding position `position`, if it has arrived. */
  pageAt(position: number): ImagePage | undefined {
    return this.pages.get(Math.floor(position / pageSize));
  }

  /** Fetches (once) the page holding `position`. */
  load(position: number): Promise<ImagePage> {
    const number = Math.floor(position / pageSize);
    const cached = this.pages.get(number);
    if (cached) return Promise.resolve(cached);
    let request = this.inFlight.get(number);
    if (!request) {
      request = this.api
        .getImagePage({ datasetId: this.datasetId, split: this.split, label: this.label, offset: number * pageSize, count: pageSize })
        .then((page) => {
          this.pages.set(number, page);
          return page;
        })
        .finally(() => this.inFlight.delete(number));
      this.inFlight.set(number, request);
    }
    return request;
  }
}

/** The pixels, label and split index of the image at `position` within a page. */
export function imageInPage(page: ImagePage, position: number, pixelsPerImage: number) {
  const i = position - page.offset;
  if (i < 0 || i >= page.indices.length) return null;
  return {
    index: page.indices[i]!,
    label: page.labels[i]!,
    pixels: page.pixels.subarray(i * pixelsPerImage, (i + 1) * pixelsPerImage),
  };
}
