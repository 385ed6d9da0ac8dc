/** Everything deployed or built runs on Node 24: the Dockerfile's images, as is and as each Cloud Build step builds it, and every Cloud Build step that runs Node. */
import { commandsOf, imageBuilds } from './cloudbuild-model.js';
import type { Deployment } from './deployment.js';
import { baseImages } from './dockerfile-model.js';

const NODE_MAJOR = '24';
const isNode24Image = (image: string): boolean => new RegExp(`^(docker\\.io/)?(library/)?node:${NODE_MAJOR}([.-].*)?$`).test(image);

export function checkNode24(deployment: Deployment): string[] {
  const problems: string[] = [];
  const build = deployment.cloudbuild;
  for (const [path, dockerfile] of Object.entries(deployment.dockerfiles)) {
    const defaults = baseImages(dockerfile);
    if (defaults.length === 0) problems.push(`${path}: no FROM line`);
    for (const image of defaults) if (!isNode24Image(image)) problems.push(`${path}: FROM ${image} is not Node ${NODE_MAJOR}`);
    // A --build-arg (NODE_VERSION=…) changes what a release builds without touching the file.
    for (const image of imageBuilds(build).filter((b) => b.dockerfile === path)) {
      for (const base of baseImages(dockerfile, image.buildArgs)) {
        if (!defaults.includes(base) && !isNode24Image(base))
          problems.push(`${path} as cloudbuild.yaml step ${image.label} builds it: FROM ${base} is not Node ${NODE_MAJOR}`);
      }
    }
  }
  build.steps.forEach((step, index) => {
    const label = step.id ?? `#${index}`;
    if (/(^|\/)node(:|$)/.test(step.name) && !isNode24Image(step.name))
      problems.push(`cloudbuild.yaml: step ${label} runs on ${step.name}, not node:${NODE_MAJOR}`);
    const runsNode = commandsOf(step).some((command) => /(^|[\s;&|])(npm|npx|node|tsx)(\s|$)/.test(command));
    if (runsNode && !isNode24Image(step.name))
      problems.push(`cloudbuild.yaml: step ${label} runs Node tools on ${step.name}, not node:${NODE_MAJOR}`);
  });
  return problems;
}
