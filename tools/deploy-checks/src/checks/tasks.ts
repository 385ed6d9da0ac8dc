/**
 * Cloud Tasks: the queues the services create tasks in exist in Terraform, in their region, with
 * the retry policy the lead worker counts on; the OIDC identity and audiences line up between the
 * session service (trigger tasks), the lead service (its own tasks) and the lead worker.
 */
import type { ValueMap } from '../terraform/values.js';
import type { Deployment, Environment } from './deployment.js';
import { containerEnv } from './service-env.js';
import type { Code, ServiceCode } from './services.js';
import { block, byType, cloudRunService, grants, seconds, serviceDefinition, text, type ServiceDefinition } from './terraform-queries.js';

interface Loaded<C> {
  definition: ServiceDefinition;
  config: C;
}

async function load<C>(environment: Environment, service: ServiceCode<C>): Promise<Loaded<C> | string> {
  const resource = cloudRunService(environment, service.terraformModule);
  if (!resource) return `${environment.name}: no Cloud Run service for ${service.workspace}`;
  const definition = await serviceDefinition(resource);
  const loaded = service.load(containerEnv(definition));
  if (!loaded.ok) return `${environment.name}: ${service.workspace} config does not load (see the environment check)`;
  return { definition, config: loaded.config };
}

async function queues(environment: Environment): Promise<Map<string, ValueMap>> {
  const found = new Map<string, ValueMap>();
  for (const queue of byType(environment, 'google_cloud_tasks_queue')) {
    const body = await queue.body();
    found.set(`projects/${text(body.project) ?? '?'}/locations/${text(body.location) ?? '?'}/queues/${text(body.name) ?? '?'}`, body);
  }
  return found;
}

export async function checkQueues(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    const defined = await queues(environment);
    for (const service of [code.session, code.lead] as Array<ServiceCode<unknown>>) {
      const loaded = await load(environment, service);
      if (typeof loaded === 'string') {
        problems.push(loaded);
        continue;
      }
      const where = `${environment.name}: ${service.workspace}`;
      const path = service.queuePath(loaded.config);
      const queue = defined.get(path);
      if (!queue) {
        problems.push(
          `${where} creates tasks in ${path}, which Terraform does not define (it defines ${[...defined.keys()].join(', ') || 'none'})`,
        );
        continue;
      }
      if (queue.location !== loaded.definition.region) {
        problems.push(`${where}: its queue is in ${String(queue.location)} but the service runs in ${loaded.definition.region}`);
      }
      const member = `serviceAccount:${loaded.definition.serviceAccount ?? '?'}`;
      const enqueuers = await grants(environment, 'google_cloud_tasks_queue_iam_member', 'roles/cloudtasks.enqueuer', member);
      const onQueue = [];
      for (const grant of enqueuers) {
        const body = await grant.body();
        if (body.name === queue.name && body.location === queue.location) onQueue.push(grant);
      }
      if (onQueue.length === 0)
        problems.push(`${where}: ${loaded.definition.serviceAccount ?? 'its account'} has no roles/cloudtasks.enqueuer on ${path}`);
    }
  }
  return problems;
}

/** The lead worker's expectations of its queue and of Cloud Run (decision 0006). */
export async function checkRetrySettings(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    const loaded = await load(environment, code.lead);
    if (typeof loaded === 'string') {
      problems.push(loaded);
      continue;
    }
    const where = `${environment.name}: ${code.lead.workspace}`;
    const settings = code.lead.taskSettings(loaded.config);
    const queue = (await queues(environment)).get(code.lead.queuePath(loaded.config));
    if (!queue) {
      problems.push(`${where}: its queue is not defined (see the queue check)`);
      continue;
    }
    const retry = block(queue.retry_config);
    if (retry.max_attempts !== settings.maxAttempts) {
      problems.push(
        `${where}: TASK_MAX_ATTEMPTS is ${settings.maxAttempts} but the queue's retry_config.max_attempts is ${String(retry.max_attempts)}: the last attempt's degraded email would never be sent`,
      );
    }
    const retryDuration = seconds(retry.max_retry_duration);
    if (retry.max_retry_duration !== undefined && retryDuration !== 0) {
      problems.push(
        `${where}: the queue sets max_retry_duration (${String(retry.max_retry_duration)}), which can stop retries before attempt ${settings.maxAttempts}`,
      );
    }
    const timeout = seconds(loaded.definition.template.timeout);
    if (timeout === undefined || timeout < settings.dispatchDeadlineSeconds) {
      problems.push(
        `${where}: Cloud Run's request timeout (${String(loaded.definition.template.timeout)}) is shorter than TASK_DISPATCH_DEADLINE_SECONDS (${settings.dispatchDeadlineSeconds})`,
      );
    }
    if (settings.leaseSeconds <= settings.dispatchDeadlineSeconds) {
      problems.push(
        `${where}: LEAD_LEASE_SECONDS (${settings.leaseSeconds}) must outlast one task attempt (TASK_DISPATCH_DEADLINE_SECONDS ${settings.dispatchDeadlineSeconds})`,
      );
    }
    const rate = block(queue.rate_limits);
    const capacity =
      Number(block(loaded.definition.template.scaling).max_instance_count) *
      Number(loaded.definition.template.max_instance_request_concurrency);
    if (typeof rate.max_concurrent_dispatches !== 'number' || rate.max_concurrent_dispatches > capacity) {
      problems.push(
        `${where}: the queue may run ${String(rate.max_concurrent_dispatches)} tasks at once but the service takes at most ${capacity} requests`,
      );
    }
  }
  return problems;
}

/** Trigger tasks from the session service reach the lead worker with a token it accepts. */
export async function checkTaskIdentity(deployment: Deployment, code: Code): Promise<string[]> {
  const problems: string[] = [];
  for (const environment of deployment.environments) {
    const session = await load(environment, code.session);
    const lead = await load(environment, code.lead);
    if (typeof session === 'string' || typeof lead === 'string') {
      problems.push(...[session, lead].filter((x): x is string => typeof x === 'string'));
      continue;
    }
    const where = environment.name;
    const accounts = new Set<string>();
    for (const account of byType(environment, 'google_service_account')) accounts.add(String(await account.get('email')));

    const tasksAccount = code.lead.taskServiceAccount(lead.config);
    if (!tasksAccount || !accounts.has(tasksAccount))
      problems.push(`${where}: the lead service's TASK_SERVICE_ACCOUNT_EMAIL (${String(tasksAccount)}) is not a Terraform service account`);
    const sessionAccount = code.session.taskServiceAccount(session.config);
    if (sessionAccount !== tasksAccount) {
      problems.push(
        `${where}: the session service signs trigger tasks as ${String(sessionAccount)} but the lead worker accepts only ${String(tasksAccount)}`,
      );
    }
    if (tasksAccount && [session.definition.serviceAccount, lead.definition.serviceAccount].includes(tasksAccount)) {
      problems.push(`${where}: the tasks account must not be a service's own runtime account (${tasksAccount})`);
    }
    // Creating a task with an OIDC token for the tasks account means acting as it.
    for (const [name, definition] of [
      ['session', session.definition],
      ['lead', lead.definition],
    ] as const) {
      const member = `serviceAccount:${definition.serviceAccount ?? '?'}`;
      let found = false;
      for (const grant of byType(environment, 'google_service_account_iam_member')) {
        const body = await grant.body();
        if (
          body.role === 'roles/iam.serviceAccountUser' &&
          body.member === member &&
          String(body.service_account_id).endsWith(`/serviceAccounts/${String(tasksAccount)}`)
        )
          found = true;
      }
      if (!found)
        problems.push(
          `${where}: the ${name} service's account may not act as ${String(tasksAccount)} (roles/iam.serviceAccountUser), so it cannot create OIDC tasks`,
        );
    }

    // URLs: both task endpoints are on the lead service's own (deterministic) URL.
    const leadHost = `${lead.definition.name}-${deployment.samples.projectNumber}.${lead.definition.region}.run.app`;
    const triggerUrl = code.session.leadTriggerUrl(session.config);
    const handlerUrl = code.lead.taskSettings(lead.config).handlerUrl;
    if (!triggerUrl)
      problems.push(`${where}: the session service has no LEAD_TRIGGER_URL: turns would not trigger the lead pipeline (decision 0008)`);
    for (const [name, url, path] of [
      ['LEAD_TRIGGER_URL', triggerUrl, '/tasks/trigger'],
      ['TASK_HANDLER_URL', handlerUrl, '/tasks/lead'],
    ] as const) {
      if (!url) continue;
      const parsed = new URL(url);
      if (parsed.host !== leadHost || parsed.pathname !== path)
        problems.push(`${where}: ${name} is ${url}, not https://${leadHost}${path} (the lead service ${lead.definition.name})`);
    }
    if (triggerUrl && !code.lead.triggerAudiences(lead.config).includes(triggerUrl)) {
      problems.push(
        `${where}: the lead worker accepts /tasks/trigger tokens for ${code.lead.triggerAudiences(lead.config).join(', ')}, not ${triggerUrl} (the session service's audience)`,
      );
    }
  }
  return problems;
}
