import { expect, type Page } from '@playwright/test';

/** Waits until the designer's layer stack shows the previews of the newest design (so cards no longer change height under the pointer). */
export async function previewsCurrent(page: Page) {
  const stack = page.getByTestId('layer-stack');
  await expect(async () => {
    const [shown, latest] = await stack.evaluate((e) => [e.getAttribute('data-previews-shown'), e.getAttribute('data-previews-latest')]);
    expect(shown).toBe(latest);
  }).toPass({ timeout: 60_000 });
}
