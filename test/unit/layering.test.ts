import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of DESIGN.md live in eslint.config.js; this proves they bite, by linting an
// import each folder must not make, as if it were written in that folder.

const eslint = new ESLint();

async function restrictedImportErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const cases: [string, string, RegExp][] = [
  ['main/core/runs/probe.ts', "import { trainRun } from '../../worker/trainRun';\nexport const x = trainRun;\n", /core\/ never imports the worker/],
  ['main/worker/probe.ts', "import { RunStore } from '../core/runs/runStore';\nexport const x = RunStore;\n", /the worker never imports core\//],
  ['main/cli/probe.ts', "import { startLabServer } from '../server/labServer';\nexport const x = startLabServer;\n", /cli\/ is an entry point/],
  ['main/server/probe.ts', "import { trainCommand } from '../cli/trainCommand';\nexport const x = trainCommand;\n", /server\/ is an entry point/],
  ['main/electron/probe.ts', "import { startLabServer } from '../server/labServer';\nexport const x = startLabServer;\n", /electron\/ is an entry point/],
  ['main/common/probe.ts', "import { RunStore } from '../core/runs/runStore';\nexport const x = RunStore;\n", /main\/common imports only shared\//],
  ['shared/probe.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n", /shared\/ is pure/],
  ['renderer/lib/probe.ts', "import { RunStore } from '../../main/core/runs/runStore';\nexport const x = RunStore;\n", /the renderer reaches main only through/],
  ['renderer/features/designer/probe.ts', "import { DatasetState } from '../dataset/state.svelte';\nexport const x = DatasetState;\n", /a feature never imports another feature/],
];

describe('the layer rules', () => {
  for (const [filePath, source, message] of cases) {
    it(`refuse a wrong import in ${filePath.split('/').slice(0, -1).join('/')}`, async () => {
      expect(await restrictedImportErrors(filePath, source)).toEqual([expect.stringMatching(message)]);
    });
  }

  it('allow what each layer may import', async () => {
    expect(await restrictedImportErrors('main/core/runs/probe.ts', "import { readValidatedJson } from '../../common/atomicFile';\nexport const x = readValidatedJson;\n")).toEqual([]);
    expect(await restrictedImportErrors('renderer/features/dataset/probe.ts', "import ImageGrid from '../../ui/ImageGrid.svelte';\nexport const x = ImageGrid;\n")).toEqual([]);
    expect(await restrictedImportErrors('main/server/probe.ts', "import { createLabService } from '../core/labService';\nexport const x = createLabService;\n")).toEqual([]);
  });
});
