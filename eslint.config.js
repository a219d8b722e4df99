import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layers (docs/architecture.md): src/app imports only src/domain and src/app; src/api and src/web never
 * import each other; src/web and src/api reach src/infra only through the services the composition root
 * (src/composition.ts) hands them. Production code never imports test support.
 *
 * Imports are relative, so each rule is written per folder depth: from src/<layer>/<d folders>/file.ts the
 * prefix `../` repeated d + 1 times reaches src/.
 */
const TEST_FILES = ['**/*.test.ts', '**/*test-support.ts'];

// Folder depths covered below each layer: today's deepest is src/web/features/<feature>/ (2); a few more
// so that a new, deeper folder is checked too.
const DEPTHS = [0, 1, 2, 3, 4];

const LAYERS = {
  app: {
    depths: DEPTHS,
    forbidden: ['infra', 'web', 'api', 'cli', 'composition'],
    testForbidden: ['web', 'api', 'cli'],
  },
  api: { depths: DEPTHS, forbidden: ['infra', 'web', 'cli', 'composition'], testForbidden: ['web', 'cli'] },
  web: { depths: DEPTHS, forbidden: ['infra', 'api', 'cli', 'composition'], testForbidden: ['api', 'cli'] },
};

/**
 * The imports a layer rule allows all the same, each with its reason. Keys are files; values are the exact
 * import paths allowed in them.
 */
const LAYER_EXCEPTIONS = {
  // The HTTP shell: it mounts the JSON API beside the pages, and needs the logger's redaction lists and the
  // proxy setting's parser to construct Fastify itself (they configure Fastify, not a use case).
  'src/web/app.ts': {
    '../api/v1/index.ts': 'the app shell mounts the JSON API plugin beside the page features',
    '../infra/config.ts': "trustProxyOption turns the TRUST_PROXY setting into Fastify's option",
    '../infra/logger.ts': 'the redaction paths and serializers shared with the process logger',
  },
  // The process entry point: it loads the configuration, creates the logger and builds the services.
  'src/web/serve.ts': {
    '../composition.ts': 'the entry point calls the composition root',
    '../infra/config.ts': 'the entry point loads the configuration',
    '../infra/logger.ts': 'the entry point creates the process logger',
  },
};

function escapeRegex(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function layerPatterns(layer, depth, forbidden, allowed) {
  const up = `(?:\\.\\./){${depth + 1}}`;
  const skip = allowed.length ? `(?!${allowed.map((a) => `${escapeRegex(a)}$`).join('|')})` : '';
  const patterns = forbidden.map((target) => ({
    regex: target === 'composition' ? `^${skip}${up}composition\\.ts$` : `^${skip}${up}${target}(?:/|\\.ts$)`,
    // The Services type is what the composition root hands every layer: naming it is not reaching in.
    ...(target === 'composition' ? { allowTypeImports: true } : {}),
    message:
      layer === 'app'
        ? `src/app may import only src/domain and src/app (its own ports); not src/${target}.`
        : target === 'infra' || target === 'composition'
          ? `src/${layer} reaches src/${target} only through the services the composition root hands it.`
          : `src/${layer} must not import src/${target}.`,
  }));
  return patterns;
}

function layerRules() {
  const configs = [];
  for (const [layer, { depths, forbidden, testForbidden }] of Object.entries(LAYERS)) {
    for (const depth of depths) {
      const glob = `src/${layer}/${'*/'.repeat(depth)}*.ts`;
      const rootUp = `(?:\\.\\./){${depth + 2}}`;
      configs.push({
        files: [glob],
        ignores: TEST_FILES,
        rules: {
          '@typescript-eslint/no-restricted-imports': [
            'error',
            {
              patterns: [
                ...layerPatterns(layer, depth, forbidden, []),
                { regex: `^${rootUp}test/`, message: 'Production code must not import test support.' },
              ],
            },
          ],
        },
      });
      // Tests (and their support files) may wire real infrastructure (schemas to assert on, the mail
      // test transport, the blob store), but still never reach across to the other delivery layer.
      configs.push({
        files: TEST_FILES.map((t) => `src/${layer}/${'*/'.repeat(depth)}${t.replace('**/', '')}`),
        rules: {
          '@typescript-eslint/no-restricted-imports': [
            'error',
            { patterns: layerPatterns(layer, depth, testForbidden, []) },
          ],
        },
      });
    }
  }
  for (const [file, allowed] of Object.entries(LAYER_EXCEPTIONS)) {
    const [, layer, ...rest] = file.split('/');
    const depth = rest.length - 1;
    configs.push({
      files: [file],
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: [
              ...layerPatterns(layer, depth, LAYERS[layer].forbidden, Object.keys(allowed)),
              { regex: `^(?:\\.\\./){${depth + 2}}test/`, message: 'Production code must not import test support.' },
            ],
          },
        ],
      },
    });
  }
  return configs;
}

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'src/infra/db/migrations/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The domain is pure rules: no framework, database, network or file-system imports.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts', 'src/domain/**/test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.{1,2}/|date-fns|@date-fns/utc|date-holidays|zod$).*',
              message:
                'src/domain may import only other domain modules, date-fns, @date-fns/utc, date-holidays and zod.',
            },
            {
              regex: '^\\.\\./\\.\\./(app|infra|web|api|cli)/|^\\.\\./(app|infra|web|api|cli)/',
              message: 'src/domain must not depend on outer layers.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'fetch', 'process', 'require'],
    },
  },
  ...layerRules(),
  {
    // No `as unknown as` in src/: a value of another type is parsed (Zod) or made by a typed helper, never
    // asserted through unknown, which turns off every check between the two types.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `as unknown as`: parse the value (Zod) or write a typed helper.',
        },
        {
          selector:
            "TSTypeAssertion[expression.type='TSTypeAssertion'][expression.typeAnnotation.type='TSUnknownKeyword']",
          message: 'No `<T><unknown>` casts: parse the value (Zod) or write a typed helper.',
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'bin/**/*.js'],
    rules: { 'no-console': 'off' },
  },
);
