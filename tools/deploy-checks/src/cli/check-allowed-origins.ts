/**
 * cloudbuild.yaml's check-origins step: exits 1 unless the site origin is in ALLOWED_ORIGINS of
 * every deployed service given (files written by `gcloud run services describe --format=json`).
 *   tsx tools/deploy-checks/src/cli/check-allowed-origins.ts <origin> <service.json>...
 */
import { readFileSync } from 'node:fs';
import { checkOrigin } from '../allowed-origins.js';

const [origin, ...files] = process.argv.slice(2);
if (!origin || !URL.canParse(origin) || files.length === 0) {
  console.error('usage: check-allowed-origins <https://site.origin> <service.json>...');
  process.exit(2);
}
let failed = false;
for (const file of files) {
  const result = checkOrigin(origin, JSON.parse(readFileSync(file, 'utf8')));
  if (result.ok) {
    console.log(`${result.service}: ${origin} is allowed`);
  } else {
    failed = true;
    console.error(
      `${result.service}: ${origin} is not in ALLOWED_ORIGINS (${result.allowed.join(', ') || 'empty'}). ` +
        'Add it in Terraform (custom_domains or extra_allowed_origins), terraform apply, then build again.',
    );
  }
}
process.exit(failed ? 1 : 0);
