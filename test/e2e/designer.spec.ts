import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { previewsCurrent } from './layerPreviews';

const url = () => process.env.LAB_URL!;
const shots = 'test-results/screenshots';
mkdirSync(shots, { recursive: true });

const cards = (page: Page) => page.getByTestId('layer-card');
const totals = (page: Page) => page.getByTestId('designer-totals');

async function openDesigner(page: Page) {
  await page.goto(url());
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('region', { name: 'Layer designer' })).toBeVisible();
}

/** Selects the card at `index` and changes one of its fields in the editor. */
async function edit(page: Page, index: number, field: string, value: string) {
  await cards(page).nth(index).click();
  const input = page.getByTestId('layer-editor').getByLabel(field);
  if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(value);
  else await input.fill(value);
}

test('build the seed CNN by dragging, break it, undo, save, reload, open, train', async ({ page }) => {
  test.setTimeout(120_000);
  await openDesigner(page);
  await page.getByTestId('preset-select').selectOption('empty');
  await expect(cards(page)).toHaveCount(1);

  for (const type of ['conv2d', 'conv2d', 'maxPooling2d', 'dropout', 'flatten', 'dense', 'dropout', 'dense']) {
    await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId('stack-end'));
  }
  await expect(cards(page)).toHaveCount(9);
  await edit(page, 2, 'Filters', '64');
  await edit(page, 7, 'Rate', '0.5');
  await edit(page, 8, 'Units', '10');
  await edit(page, 8, 'Activation', 'softmax');
  await expect(totals(page)).toHaveText('1,199,882 parameters');
  await expect(page.getByTestId('train-design')).toBeEnabled();
  await page.getByTestId('tab-summary').click();
  await expect(page.getByTestId('model-summary')).toContainText('conv2d_1 (Conv2D)(None, 24, 24, 64)18,496');
  await page.screenshot({ path: `${shots}/designer-seed-cnn.png` });

  // Move Flatten to the top: the convolution after it now gets a vector.
  // With its previews the stack is taller than the window: a drag that has to scroll the stack
  // under the pointer would start from the card scrolled there, so both ends stay in view.
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: 1400 });
  await previewsCurrent(page);
  await page.getByTestId('layer-stack').evaluate((stack) => stack.scrollTo(0, 0));
  await cards(page).nth(5).dragTo(cards(page).nth(0));
  await page.setViewportSize(viewport);
  await expect(cards(page).nth(1)).toHaveAttribute('data-type', 'flatten');
  await expect(cards(page).nth(2).getByTestId('layer-problem')).toHaveText(
    'Conv2D needs an image-shaped input, but Flatten before it produced a vector of 784',
  );
  await expect(page.getByTestId('train-design')).toBeDisabled();
  await page.screenshot({ path: `${shots}/designer-broken.png` });
  await page.getByTestId('layer-stack').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(cards(page).nth(5)).toHaveAttribute('data-type', 'flatten');
  await expect(page.getByTestId('layer-problem')).toHaveCount(0);
  await expect(totals(page)).toHaveText('1,199,882 parameters');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-design').click()]);
  const saved = `test-results/${download.suggestedFilename()}`;
  await download.saveAs(saved);
  expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({ format: 'mnist-lab-design', layers: expect.any(Array) });

  await page.reload();
  await expect(totals(page)).toHaveText('1,199,882 parameters'); // the last design is restored
  await page.getByTestId('preset-select').selectOption('seed-mlp');
  await expect(totals(page)).toHaveText('407,050 parameters');
  await page
    .getByTestId('open-design')
    .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "format": "mnist-lab-design", "layers": 3 }') });
  await expect(page.getByRole('alert')).toContainText('broken.json cannot be opened: the design is damaged');
  await expect(totals(page)).toHaveText('407,050 parameters');
  await page.getByTestId('open-design').setInputFiles(saved);
  await expect(totals(page)).toHaveText('1,199,882 parameters');

  await page.getByTestId('tab-settings').click();
  await page.getByTestId('field-epochs').fill('1');
  await page.getByTestId('field-train-limit').fill('1000');
  await page.getByTestId('field-test-limit').fill('200');
  await page.getByTestId('train-design').click();
  await expect(page).toHaveURL(/#training$/);
  await expect(page.getByTestId('training-view')).toContainText('My model');
  await expect(page.getByTestId('run-result')).toContainText('Test accuracy', { timeout: 90_000 });
  await page.screenshot({ path: `${shots}/training-done.png` });
});

test('each layer explains itself, in English or Korean', async ({ page }) => {
  await openDesigner(page);
  await page.getByLabel('What is MaxPooling2D?').click();
  await expect(page.getByRole('region', { name: 'Layers' })).toContainText('Max pooling keeps the largest value of each window');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
  await expect(page.getByRole('region', { name: '레이어', exact: true })).toContainText('맥스 풀링은 각 창');
});

test('"Show code" prints the seed CNN as Keras', async ({ page }) => {
  await openDesigner(page);
  await page.getByTestId('preset-select').selectOption('seed-cnn');
  await page.getByRole('button', { name: 'Show code' }).click();
  await expect(page.getByTestId('code')).toContainText("layers.Conv2D(64, (3, 3), activation='relu'),");
  await expect(page.getByTestId('code')).toContainText('batch_size=200');
  await page.getByRole('button', { name: 'TensorFlow.js' }).click();
  await expect(page.getByTestId('code')).toContainText('tf.sequential()');
});
