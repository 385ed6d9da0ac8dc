/**
 * Layer rules, checked by `npm run depcruise` in `npm test` (type-only imports count too):
 * the domain knows no adapter, no use case and no HTTP; use cases and ports reach the outside
 * only through ports (never an adapter or the HTTP layer, `http/`); product code never imports dev tools, tests or the other service.
 */
const SERVICE_OUTER = '^services/[^/]+/src/(adapters|email|cli|http|use-cases)/|^services/[^/]+/src/(app|server|wiring|config)\\.ts$';
// Resolved paths: core modules by name, packages by their folder in node_modules.
const HTTP = '^(http|https|http2)$|(^|/)node_modules/(@types/)?(express|express-serve-static-core|helmet|express-rate-limit)/';
const CLOUD_SDKS = '(^|/)node_modules/(@google-cloud/|@aws-sdk/|openai/|@openai/|google-auth-library/|google-gax/|mjml/)';

module.exports = {
  forbidden: [
    {
      name: 'domain-imports-no-outer-layer',
      comment: 'services/*/src/domain is pure: no adapter, use case, email renderer, CLI or composition root.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: SERVICE_OUTER },
    },
    {
      name: 'domain-imports-no-http-or-sdk',
      comment: 'The domain never sees an HTTP type or a cloud SDK; adapters translate.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: `${HTTP}|${CLOUD_SDKS}` },
    },
    {
      name: 'use-cases-and-ports-import-no-adapter',
      comment: 'Use cases and ports speak the domain; adapters are wired in by the composition root.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/(use-cases/|ports\\.ts$)' },
      to: { path: '^services/[^/]+/src/(adapters/|http/|app\\.ts$|server\\.ts$|wiring\\.ts$)' },
    },
    {
      name: 'use-cases-and-ports-import-no-http-or-sdk',
      comment: 'HTTP is the app’s concern and SDKs the adapters’: a use case gets plain values and returns domain answers.',
      severity: 'error',
      from: { path: '^services/[^/]+/src/(use-cases/|ports\\.ts$)' },
      to: { path: `${HTTP}|${CLOUD_SDKS}` },
    },
    {
      name: 'no-service-imports-another',
      comment: 'The two services share code only through packages/shared.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'product-imports-no-dev-tools-or-tests',
      comment: 'Deployed code never depends on the local stand-ins or on test files.',
      severity: 'error',
      from: { path: '^(services/[^/]+|packages/shared|web)/src/' },
      to: { path: '^tools/|/test/' },
    },
    {
      name: 'shared-imports-no-service',
      severity: 'error',
      from: { path: '^packages/shared/' },
      to: { path: '^(services|web)/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter and layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: {
      conditionNames: ['lead-intake-source', 'import', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
    },
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
