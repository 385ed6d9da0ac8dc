/**
 * Firestore: Terraform's TTL policies and composite indexes are those of infra/firestore.indexes.json,
 * cover the collections the services use (from their configs), and the rules Terraform releases
 * are the file firebase.json names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deployment } from './deployment.js';
import { containerEnv } from './service-env.js';
import type { Code } from './services.js';
import { blocks, byType, cloudRunService, serviceDefinition, text } from './terraform-queries.js';

const sorted = (values: Iterable<string>): string[] => [...values].sort();
/** Where the Firestore stores live: the lead records (lead service) and the thread store (shared). */
const TTL_WRITERS = ['services/lead/src', 'packages/shared/src/thread-store'];

/** Whether some .ts file under dir writes `field:` next to a Firestore Timestamp. */
function writesField(dir: string, field: string): boolean {
  const pattern = new RegExp(`\\b${field}\\s*:`);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    if (source.includes('Timestamp') && pattern.test(source)) return true;
  }
  return false;
}

export async function checkFirestore(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  const json = deployment.firestoreIndexes;
  const jsonTtl = new Set(json.fieldOverrides.filter((o) => o.ttl).map((o) => `${o.collectionGroup}.${o.fieldPath}`));
  const jsonIndexes = new Set(
    json.indexes.map((i) => `${i.collectionGroup}(${i.fields.map((f) => `${f.fieldPath} ${f.order ?? ''}`).join(', ')})`),
  );
  for (const field of new Set([...jsonTtl].map((entry) => entry.split('.').pop() ?? ''))) {
    for (const dir of TTL_WRITERS) {
      if (!writesField(join(deployment.root, dir), field)) problems.push(`no Firestore store under ${dir} writes the TTL field ${field}`);
    }
  }
  for (const environment of deployment.environments) {
    const where = environment.name;
    const tfTtl = new Set<string>();
    for (const field of byType(environment, 'google_firestore_field')) {
      const body = await field.body();
      if (blocks(body.ttl_config).length > 0) tfTtl.add(`${text(body.collection) ?? '?'}.${text(body.field) ?? '?'}`);
    }
    if (sorted(tfTtl).join() !== sorted(jsonTtl).join()) {
      problems.push(
        `${where}: Terraform's TTL policies (${sorted(tfTtl).join(', ')}) differ from firestore.indexes.json (${sorted(jsonTtl).join(', ')})`,
      );
    }
    const tfIndexes = new Set<string>();
    for (const index of byType(environment, 'google_firestore_index')) {
      const body = await index.body();
      tfIndexes.add(
        `${text(body.collection) ?? '?'}(${blocks(body.fields)
          .map((f) => `${text(f.field_path) ?? '?'} ${text(f.order) ?? ''}`)
          .join(', ')})`,
      );
    }
    if (sorted(tfIndexes).join() !== sorted(jsonIndexes).join()) {
      problems.push(
        `${where}: Terraform's composite indexes (${sorted(tfIndexes).join('; ')}) differ from firestore.indexes.json (${sorted(jsonIndexes).join('; ')})`,
      );
    }
    // The collections the services actually use have a TTL policy on their expiry field.
    const used: string[] = [];
    const session = cloudRunService(environment, code.session.terraformModule);
    const lead = cloudRunService(environment, code.lead.terraformModule);
    if (session) {
      const loaded = code.session.load(containerEnv(await serviceDefinition(session)));
      if (loaded.ok) used.push(loaded.config.CHAT_THREADS_COLLECTION);
    }
    if (lead) {
      const loaded = code.lead.load(containerEnv(await serviceDefinition(lead)));
      if (loaded.ok) used.push(loaded.config.FIRESTORE_COLLECTION, loaded.config.CHAT_THREADS_COLLECTION);
    }
    for (const collection of new Set(used)) {
      if (![...tfTtl].some((entry) => entry.startsWith(`${collection}.`)))
        problems.push(`${where}: the services use the collection ${collection}, which has no TTL policy in Terraform`);
    }
    const rulesPath = deployment.firebase.firestore?.rules;
    const rulesets = byType(environment, 'google_firebaserules_ruleset');
    if (!rulesPath) problems.push('firebase.json names no firestore.rules');
    else {
      const rules = readFileSync(join(deployment.root, rulesPath), 'utf8');
      let same = false;
      for (const ruleset of rulesets) {
        const files = blocks((blocks((await ruleset.body()).source)[0] ?? {}).files);
        if (files.some((file) => file.content === rules)) same = true;
      }
      if (!same) problems.push(`${where}: no Terraform ruleset releases ${rulesPath}`);
    }
  }
  return problems;
}
