/**
 * `npm run hosting:region -w web -- <region>`: points every Cloud Run rewrite in firebase.json at
 * `<region>` (the deploy runs it with Cloud Build's _REGION before `firebase deploy`), so the
 * region is configured in one place.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const CLOUD_RUN_REGION = /^[a-z]+-[a-z]+\d+$/;

interface FirebaseJson {
  hosting?: { rewrites?: Array<{ run?: { serviceId: string; region?: string } }> };
}

export function withRegion(firebaseJson: string, region: string): string {
  if (!CLOUD_RUN_REGION.test(region)) throw new Error(`not a Cloud Run region: ${JSON.stringify(region)} (e.g. us-west1)`);
  const config = JSON.parse(firebaseJson) as FirebaseJson;
  const runs = (config.hosting?.rewrites ?? []).flatMap((rule) => (rule.run ? [rule.run] : []));
  if (runs.length === 0) throw new Error('firebase.json has no Cloud Run rewrites');
  for (const run of runs) run.region = region;
  return `${JSON.stringify(config, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const region = process.argv[2] ?? '';
  const path = fileURLToPath(new URL('../../firebase.json', import.meta.url));
  readFile(path, 'utf8')
    .then((text) => writeFile(path, withRegion(text, region)))
    .then(
      () => console.log(`firebase.json: every Cloud Run rewrite now targets ${region}`),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
}
