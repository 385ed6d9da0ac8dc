/** Everything deployed or built runs on Node 24: the Dockerfiles' images and every Cloud Build step that runs Node. */
import { commandsOf } from './cloudbuild-model.js';
import type { Deployment } from './deployment.js';

const NODE_MAJOR = '24';
const isNode24Image = (image: string): boolean => new RegExp(`^(docker\\.io/)?(library/)?node:${NODE_MAJOR}([.-].*)?$`).test(image);

/** FROM images of a Dockerfile with ARG defaults (and cloudbuild's --build-arg overrides) applied. */
function dockerBaseImages(dockerfile: string, overrides: Record<string, string> = {}): string[] {
  const args: Record<string, string> = {};
  const stages = new Set<string>();
  const images: string[] = [];
  for (const raw of dockerfile.split('\n')) {
    const line = raw.trim();
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?/i.exec(line);
    if (arg?.[1]) args[arg[1]] = overrides[arg[1]] ?? arg[2] ?? '';
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from?.[1]) {
      const image = from[1].replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args[name] ?? '');
      if (!stages.has(image)) images.push(image);
      if (from[2]) stages.add(from[2]);
    }
  }
  return images;
}

export function checkNode24(deployment: Deployment): string[] {
  const problems: string[] = [];
  const build = deployment.cloudbuild;
  for (const [path, text] of Object.entries(deployment.dockerfiles)) {
    const overrides: Record<string, string> = {};
    for (const step of build.steps) {
      const args = step.args ?? [];
      if (args[0] === 'build' && args.includes(path)) {
        args.forEach((arg, i) => {
          if (arg === '--build-arg' && args[i + 1]?.includes('=')) {
            const [k = '', v = ''] = (args[i + 1] ?? '').split('=');
            overrides[k] = v;
          }
        });
      }
    }
    const images = dockerBaseImages(text, overrides);
    if (images.length === 0) problems.push(`${path}: no FROM line`);
    for (const image of images) if (!isNode24Image(image)) problems.push(`${path}: FROM ${image} is not Node ${NODE_MAJOR}`);
  }
  build.steps.forEach((step, index) => {
    const label = step.id ?? `#${index}`;
    if (/(^|\/)node(:|$)/.test(step.name) && !isNode24Image(step.name)) problems.push(`cloudbuild.yaml: step ${label} runs on ${step.name}, not node:${NODE_MAJOR}`);
    const runsNode = commandsOf(step).some((command) => /(^|[\s;&|])(npm|npx|node|tsx)(\s|$)/.test(command));
    if (runsNode && !isNode24Image(step.name)) problems.push(`cloudbuild.yaml: step ${label} runs Node tools on ${step.name}, not node:${NODE_MAJOR}`);
  });
  return problems;
}
