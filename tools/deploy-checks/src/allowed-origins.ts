/**
 * Whether a deployed Cloud Run service allows a browser origin: reads ALLOWED_ORIGINS from
 * `gcloud run services describe --format=json` (Knative v1 shape) or a v2 service resource.
 */
interface Container {
  env?: Array<{ name?: string; value?: string }>;
}
interface DescribedService {
  metadata?: { name?: string };
  name?: string;
  spec?: { template?: { spec?: { containers?: Container[] } } };
  template?: { containers?: Container[] };
}

export interface OriginCheck {
  service: string;
  allowed: string[];
  ok: boolean;
}

export function allowedOriginsOf(described: unknown): { service: string; allowed: string[] } {
  const service = described as DescribedService;
  const containers = service.spec?.template?.spec?.containers ?? service.template?.containers ?? [];
  const value = containers.flatMap((container) => container.env ?? []).find((env) => env.name === 'ALLOWED_ORIGINS')?.value ?? '';
  return {
    service: service.metadata?.name ?? service.name?.split('/').pop() ?? '(unnamed service)',
    allowed: value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}

export function checkOrigin(origin: string, described: unknown): OriginCheck {
  const { service, allowed } = allowedOriginsOf(described);
  const wanted = new URL(origin).origin;
  return { service, allowed, ok: allowed.some((entry) => URL.canParse(entry) && new URL(entry).origin === wanted) };
}
