import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of DESIGN.md live in eslint.layers.js as allow-lists; this proves they bite, by
// linting an import each folder must not make, as if it were written in that folder.

const eslint = new ESLint();

async function restrictedImportErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'layering/allowed-imports').map((m) => m.message);
}

const cases: [string, string, RegExp][] = [
  [
    'main/core/runs/probe.ts',
    "import { trainRun } from '../../worker/trainRun';\nexport const x = trainRun;\n",
    /main\/core\/ may import shared\/, main\/common\/, main\/core\/, package\.json\/ and no other folder of ours, not main\/worker\/trainRun/,
  ],
  [
    'main/worker/probe.ts',
    "import { RunStore } from '../core/runs/runStore';\nexport const x = RunStore;\n",
    /main\/worker\/ may import shared\/, main\/common\/, main\/worker\/ and no other/,
  ],
  [
    'main/cli/probe.ts',
    "import { startLabServer } from '../server/labServer';\nexport const x = startLabServer;\n",
    /main\/cli\/ may import .* not main\/server\/labServer/,
  ],
  [
    'main/server/probe.ts',
    "import { trainCommand } from '../cli/trainCommand';\nexport const x = trainCommand;\n",
    /main\/server\/ may import .* not main\/cli\/trainCommand/,
  ],
  [
    'main/electron/probe.ts',
    "import { startLabServer } from '../server/labServer';\nexport const x = startLabServer;\n",
    /main\/electron\/ may import .* not main\/server\/labServer/,
  ],
  [
    'main/common/probe.ts',
    "import { RunStore } from '../core/runs/runStore';\nexport const x = RunStore;\n",
    /main\/common\/ may import shared\/, main\/common\/ and no other/,
  ],
  [
    'shared/probe.ts',
    "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n",
    /shared\/ may import the packages valibot, not node:fs\/promises/,
  ],
  [
    'shared/probe.ts',
    "import * as tf from '@tensorflow/tfjs-core';\nexport const x = tf;\n",
    /shared\/ may import the packages valibot, not @tensorflow\/tfjs-core/,
  ],
  [
    'renderer/lib/probe.ts',
    "import { RunStore } from '../../main/core/runs/runStore';\nexport const x = RunStore;\n",
    /renderer\/lib\/ may import shared\/, renderer\/lib\/ and no other/,
  ],
  [
    'renderer/lib/probe.ts',
    "import LineChart from '../ui/LineChart.svelte';\nexport const x = LineChart;\n",
    /renderer\/lib\/ may import .* not renderer\/ui\/LineChart/,
  ],
  [
    'renderer/ui/probe.ts',
    "import { DatasetState } from '../features/dataset/state.svelte';\nexport const x = DatasetState;\n",
    /renderer\/ui\/ may import .* not renderer\/features\/dataset/,
  ],
  [
    'renderer/api/probe.ts',
    "import { DatasetState } from '../features/dataset/state.svelte';\nexport const x = DatasetState;\n",
    /renderer\/api\/ may import .* not renderer\/features\/dataset/,
  ],
  [
    'renderer/features/designer/probe.ts',
    "import { DatasetState } from '../dataset/state.svelte';\nexport const x = DatasetState;\n",
    /renderer\/features\/ may import .*renderer\/features\/designer\/ and no other folder of ours, not renderer\/features\/dataset/,
  ],
  [
    'renderer/features/designer/probe.ts',
    "import { readFile } from 'node:fs';\nexport const x = readFile;\n",
    /renderer\/features\/ may import the packages svelte, not node:fs/,
  ],
  [
    'main/newroom/probe.ts',
    "import { x as y } from '../../shared/mnist';\nexport const x = y;\n",
    /main\/newroom\/ is in no layer: give it one in eslint\.layers\.js/,
  ],
];

describe('the layer rules', () => {
  for (const [filePath, source, message] of cases) {
    it(`refuse a wrong import in ${filePath.split('/').slice(0, -1).join('/')}`, async () => {
      expect(await restrictedImportErrors(filePath, source)).toEqual([expect.stringMatching(message)]);
    });
  }

  it('allow what each layer may import', async () => {
    expect(
      await restrictedImportErrors(
        'main/core/runs/probe.ts',
        "import { readValidatedJson } from '../../common/atomicFile';\nexport const x = readValidatedJson;\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImportErrors('renderer/features/dataset/probe.ts', "import ImageGrid from '../../ui/ImageGrid.svelte';\nexport const x = ImageGrid;\n"),
    ).toEqual([]);
    expect(
      await restrictedImportErrors('main/server/probe.ts', "import { createLabService } from '../core/labService';\nexport const x = createLabService;\n"),
    ).toEqual([]);
    expect(await restrictedImportErrors('main/worker/probe.ts', "import * as tf from '@tensorflow/tfjs-core';\nexport const x = tf;\n")).toEqual([]);
    expect(
      await restrictedImportErrors(
        'renderer/features/designer/probe.ts',
        "import { Language } from '../../app/language.svelte';\nexport const x = Language;\n",
      ),
    ).toEqual([]);
  });
});
