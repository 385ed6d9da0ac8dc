import type { ThreadStore } from '@lead-intake/shared';
import { assistantMessage, chatThread, seedThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';

let seq = 0;

/** Stores a short lead conversation (a need, a name and a phone) under a fresh `cthr_<label>_…` id and returns the id. */
export async function seedLeadThread(threads: ThreadStore, label: string): Promise<string> {
  const id = `cthr_${label}_${Date.now().toString(36)}_${(seq += 1)}`;
  await seedThread(
    threads,
    chatThread(id, [
      userMessage('Hi, the driver seat of my 2018 Honda Civic has a tear in the leather.'),
      assistantMessage('We can repair that. What is a good number to reach you?'),
      userMessage('I am Maria Lopez, call me at (650) 555-0199.'),
    ]),
  );
  return id;
}
