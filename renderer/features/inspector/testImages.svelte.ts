import type { LabApi } from '../../../shared/api';
import { imageSide } from '../../../shared/mnist';
import { imageInPage, ImagePageCache } from '../../api/imagePages.svelte';
import type { GridImage, ImageSource } from '../../ui/imageSource';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';

/** Test images picked by index (a confusion-matrix cell, the mistakes), as an ImageSource, each with a caption. */
export class TestImages implements ImageSource {
  readonly side = imageSide;

  constructor(
    private readonly pages: ImagePageCache,
    /** Test-set indices, in the order the grid shows them. */
    readonly indices: readonly number[],
    private readonly caption: (index: number) => string,
    private readonly onError: (message: UserMessage) => void,
  ) {}

  get total(): number {
    return this.indices.length;
  }

  imageAt(position: number): GridImage | null {
    const index = this.indices[position];
    if (index === undefined) return null;
    const page = this.pages.pageAt(index);
    const image = page ? imageInPage(page, index, imageSide * imageSide) : null;
    return image ? { pixels: image.pixels, label: image.label, caption: this.caption(index) } : null;
  }

  async load(position: number): Promise<unknown> {
    const index = this.indices[position];
    if (index === undefined) return null;
    try {
      return await this.pages.load(index);
    } catch (error) {
      this.onError(describeError(error));
      throw error;
    }
  }
}

/** The test split of a dataset, paged, shared by every list the inspector shows. */
export const testPages = (api: LabApi, datasetId: string) => new ImagePageCache(api, datasetId, 'test', null);
