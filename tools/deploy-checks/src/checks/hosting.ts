/** firebase.json's Cloud Run rewrites name the services Terraform defines, where it runs them. */
import type { Deployment } from './deployment.js';
import type { Code, ServiceCode } from './services.js';
import { cloudRunService, serviceDefinition } from './terraform-queries.js';

export async function checkHostingRewrites(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  const rewrites = deployment.firebase.hosting.rewrites ?? [];
  for (const environment of deployment.environments) {
    const defined = new Map<string, { region: string; workspace: string }>();
    for (const service of [code.session, code.lead] as Array<ServiceCode<unknown>>) {
      const resource = cloudRunService(environment, service.terraformModule);
      if (!resource) continue;
      const definition = await serviceDefinition(resource);
      defined.set(definition.name, { region: definition.region, workspace: service.workspace });
      for (const route of service.routes) {
        const rewrite = rewrites.find((r) => r.source === route);
        if (!rewrite?.run) problems.push(`${environment.name}: firebase.json has no run rewrite for ${route} (${service.workspace})`);
        else if (rewrite.run.serviceId !== definition.name) {
          problems.push(
            `${environment.name}: firebase.json rewrites ${route} to "${rewrite.run.serviceId}", but ${service.workspace} runs as "${definition.name}"`,
          );
        }
      }
    }
    for (const rewrite of rewrites) {
      if (!rewrite.run) continue;
      const target = defined.get(rewrite.run.serviceId);
      if (!target) {
        problems.push(
          `${environment.name}: firebase.json rewrites ${rewrite.source} to Cloud Run service "${rewrite.run.serviceId}", which Terraform does not define`,
        );
        continue;
      }
      const region = rewrite.run.region ?? 'us-central1';
      if (region !== target.region)
        problems.push(
          `${environment.name}: firebase.json sends ${rewrite.source} to ${region}, but Terraform runs ${rewrite.run.serviceId} in ${target.region}`,
        );
      if (rewrite.run.pinTag !== false)
        problems.push(`${environment.name}: the ${rewrite.source} rewrite must say pinTag: false (decision 0014)`);
    }
  }
  return problems;
}
