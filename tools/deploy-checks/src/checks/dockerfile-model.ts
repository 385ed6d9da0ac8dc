/** Reading a Dockerfile: instructions (continuation lines joined), its ARGs and its stages. */

export interface Instruction {
  /** Upper case: FROM, ARG, COPY… */
  keyword: string;
  /** The rest of the instruction, continuation lines joined with spaces. */
  text: string;
}

export interface Stage {
  /** 1-based, as `docker build` counts them. */
  number: number;
  /** `FROM … AS <name>`. */
  name?: string;
  /** The image as written (ARGs not expanded). */
  from: string;
  /** The instructions after its FROM. */
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults (the only ARGs a FROM line can use). */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** Build arguments every Dockerfile takes without declaring them. */
export const PREDEFINED_ARGS = new Set(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((name) => [name, name.toLowerCase()]),
);

function instructionsOf(text: string): Instruction[] {
  const found: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (!line && !pending)) continue;
    const continued = line.endsWith('\\');
    pending = `${pending} ${continued ? line.slice(0, -1) : line}`.trim();
    if (continued) continue;
    const [keyword = '', ...rest] = pending.split(/\s+/);
    found.push({ keyword: keyword.toUpperCase(), text: rest.join(' ') });
    pending = '';
  }
  return found;
}

/** `ARG A=1 B` → [[A, '1'], [B, undefined]]. */
export function argsDeclared(instruction: Instruction): Array<[string, string | undefined]> {
  if (instruction.keyword !== 'ARG') return [];
  return instruction.text
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const at = word.indexOf('=');
      return at < 0 ? [word, undefined] : [word.slice(0, at), word.slice(at + 1)];
    });
}

/** Names `ENV A=1 B=2` (or the older `ENV A 1`) sets. */
export function envSet(instruction: Instruction): string[] {
  if (instruction.keyword !== 'ENV') return [];
  const words = instruction.text.split(/\s+/).filter(Boolean);
  if (words[0] && !words[0].includes('=')) return [words[0]];
  return words.filter((word) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)).map((word) => word.slice(0, word.indexOf('=')));
}

/** Every `$NAME` / `${NAME…}` an instruction mentions. */
export function variablesUsed(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? '');
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const instruction of instructionsOf(text)) {
    if (instruction.keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.text);
      stages.push({ number: stages.length + 1, name: from?.[2], from: from?.[1] ?? '', instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage) stage.instructions.push(instruction);
    else for (const [name, value] of argsDeclared(instruction)) globalArgs.set(name, value);
  }
  return { globalArgs, stages };
}

/** Every ARG name the file declares, before the first FROM or in a stage. */
export function allArgs(dockerfile: Dockerfile): Set<string> {
  const names = new Set(dockerfile.globalArgs.keys());
  for (const stage of dockerfile.stages)
    for (const instruction of stage.instructions) for (const [name] of argsDeclared(instruction)) names.add(name);
  return names;
}

export const stageLabel = (stage: Stage): string => (stage.name ? `stage "${stage.name}"` : `stage ${stage.number} (FROM ${stage.from})`);

/** The distinct base images of the stages (not FROM <earlier stage>), with the global ARGs' defaults, or the build's --build-arg values, applied. */
export function baseImages(dockerfile: Dockerfile, buildArgs: Record<string, string> = {}): string[] {
  const values = (name: string): string => buildArgs[name] ?? dockerfile.globalArgs.get(name) ?? '';
  const stageNames = new Set<string>();
  const images: string[] = [];
  for (const stage of dockerfile.stages) {
    const image = stage.from.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => values(name));
    if (!stageNames.has(image) && !images.includes(image)) images.push(image);
    if (stage.name) stageNames.add(stage.name);
  }
  return images;
}
