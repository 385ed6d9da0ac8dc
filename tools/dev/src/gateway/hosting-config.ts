/**
 * The part of `firebase.json`'s `hosting` the local gateway applies, parsed with zod so a typo in
 * firebase.json fails `npm run dev` with the field's name instead of being silently ignored.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const matcher = z.union([z.object({ source: z.string().min(1) }), z.object({ regex: z.string().min(1) })]);

const runTarget = z.object({ serviceId: z.string().min(1), region: z.string().optional(), pinTag: z.boolean().optional() });

export const hostingSchema = z.object({
  public: z.string().min(1),
  ignore: z.array(z.string()).default([]),
  cleanUrls: z.boolean().default(false),
  trailingSlash: z.boolean().optional(),
  i18n: z.object({ root: z.string().startsWith('/') }).optional(),
  redirects: z
    .array(
      z.intersection(matcher, z.object({ destination: z.string().min(1), type: z.union([z.literal(301), z.literal(302)]).default(301) })),
    )
    .default([]),
  rewrites: z
    .array(z.intersection(matcher, z.union([z.object({ destination: z.string().startsWith('/') }), z.object({ run: runTarget })])))
    .default([]),
  headers: z
    .array(z.intersection(matcher, z.object({ headers: z.array(z.object({ key: z.string().min(1), value: z.string() })) })))
    .default([]),
});
export type HostingConfig = z.output<typeof hostingSchema>;
export type RunTarget = z.output<typeof runTarget>;

export async function loadHostingConfig(firebaseJsonPath: string): Promise<HostingConfig> {
  const json = JSON.parse(await readFile(firebaseJsonPath, 'utf8')) as { hosting?: unknown };
  const parsed = hostingSchema.safeParse(json.hosting);
  if (!parsed.success) throw new Error(`${firebaseJsonPath} hosting: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
