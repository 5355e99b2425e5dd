// The layers of DESIGN.md as allow-lists, as VS Code's code-layering rule: each folder names the
// folders and packages it may import, and anything else is refused with a message listing what
// is allowed. A file in a folder of main/ or renderer/ that no layer names is refused too, so a
// new folder gets its rule when it is made. Imports are resolved to the folder they reach.
import { dirname, relative, resolve } from 'node:path';

const node = 'node:*';
const tfjs = '@tensorflow/*';

/** Most specific first; `<feature>` is the importing file's own feature folder. */
export const layers = [
  { folder: 'shared', folders: ['shared'], packages: ['valibot'] },
  { folder: 'main/common', folders: ['shared', 'main/common'], packages: [node, 'valibot'] },
  // package.json: the app's version, read once.
  { folder: 'main/core', folders: ['shared', 'main/common', 'main/core', 'package.json'], packages: [node, 'valibot', 'fflate', 'h5wasm'] },
  { folder: 'main/worker', folders: ['shared', 'main/common', 'main/worker'], packages: [node, 'valibot', tfjs, 'webgpu'] },
  { folder: 'main/cli', folders: ['shared', 'main/common', 'main/core', 'main/cli'], packages: [node, 'valibot', 'jpeg-js', 'pngjs', 'playwright-core'] },
  { folder: 'main/server', folders: ['shared', 'main/common', 'main/core', 'main/server'], packages: [node, 'valibot', 'ws'] },
  { folder: 'main/electron', folders: ['shared', 'main/common', 'main/core', 'main/electron'], packages: [node, 'valibot', 'electron'] },
  { folder: 'renderer/lib', folders: ['shared', 'renderer/lib'], packages: [] },
  { folder: 'renderer/ui', folders: ['shared', 'renderer/lib', 'renderer/ui'], packages: ['svelte', 'chart.js'] },
  // umap-js: the projector's UMAP, in its Web Worker.
  { folder: 'renderer/api', folders: ['shared', 'renderer/lib', 'renderer/api'], packages: ['svelte', 'valibot', tfjs, 'umap-js'] },
  // The lesson teaches with the designer's step-through parts (the stepped convolution, pooling, dropout, flatten).
  {
    folder: 'renderer/features/lesson',
    folders: ['shared', 'renderer/lib', 'renderer/ui', 'renderer/api', 'renderer/app/language.svelte', 'renderer/features/designer/stepThrough', '<feature>'],
    packages: ['svelte'],
  },
  // The two contexts App.svelte hands every view: the interface language and the desktop menu's commands.
  {
    folder: 'renderer/features',
    folders: ['shared', 'renderer/lib', 'renderer/ui', 'renderer/api', 'renderer/app/language.svelte', 'renderer/app/appCommands.svelte', '<feature>'],
    packages: ['svelte'],
  },
  { folder: 'renderer/app', folders: ['shared', 'renderer/lib', 'renderer/ui', 'renderer/api', 'renderer/features', 'renderer/app'], packages: ['svelte'] },
  // The bundled Korean font's stylesheets.
  {
    folder: 'renderer',
    folders: ['shared', 'renderer/app', 'renderer/api', 'renderer/lib', 'renderer'],
    packages: ['svelte', '@fontsource/*'],
    filesOnly: true,
  },
];

const inFolder = (path, folder) => path === folder || path.startsWith(`${folder}/`);
const packageName = (source) =>
  source.startsWith('node:')
    ? 'node:*'
    : source
        .split('/')
        .slice(0, source.startsWith('@') ? 2 : 1)
        .join('/');
const packageAllowed = (name, allowed) => allowed.some((pattern) => pattern === name || (pattern.endsWith('/*') && name.startsWith(pattern.slice(0, -1))));

/** The layer of a repo-relative file: the first whose folder holds it (`filesOnly`: directly, not in a subfolder). */
function layerOf(path) {
  return layers.find((layer) => (layer.filesOnly ? dirname(path) === layer.folder : inFolder(path, layer.folder)));
}

const rule = {
  meta: { type: 'problem', schema: [], docs: { description: 'each folder imports only the folders and packages its layer allows' } },
  create(context) {
    const file = relative(context.cwd, context.filename).split('\\').join('/');
    if (!/^(shared|main|renderer)\//.test(file)) return {};
    const layer = layerOf(file);
    const feature = /^renderer\/features\/[^/]+/.exec(file)?.[0];
    const folders = layer?.folders.map((f) => (f === '<feature>' ? feature : f)) ?? [];
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (!layer) {
        context.report({ node, message: `${dirname(file)}/ is in no layer: give it one in eslint.layers.js` });
        return;
      }
      if (source.startsWith('.')) {
        const target = relative(context.cwd, resolve(dirname(context.filename), source))
          .split('\\')
          .join('/');
        if (!folders.some((folder) => inFolder(target, folder))) {
          context.report({ node, message: `${layer.folder}/ may import ${folders.map((f) => `${f}/`).join(', ')} and no other folder of ours, not ${target}` });
        }
      } else if (!packageAllowed(packageName(source), layer.packages)) {
        context.report({ node, message: `${layer.folder}/ may import the packages ${layer.packages.join(', ') || '(none)'}, not ${source}` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export const layeringPlugin = { rules: { 'allowed-imports': rule } };
