import { describe, expect, it } from 'vitest';
import { code } from '../src/checks/services.js';
import { expectProblem, problemsAfter } from './support/expect-check.js';

const SERVICES_TF = 'infra/modules/lead-intake/services.tf';
const STACK_TF = 'infra/modules/lead-intake/main.tf';

describe('the service environment checks on mutated copies', () => {
  it('when nothing is changed in the copy, then the checks of this file find no problem', async () => {
    for (const check of ['serviceEnv', 'queues', 'retrySettings', 'taskIdentity'] as const)
      expect(await problemsAfter(check, [])).toEqual([]);
  });

  it('when Terraform drops a variable the lead config requires (LEAD_FROM_EMAIL), then serviceEnv names it', async () => {
    await expectProblem(
      'serviceEnv',
      [{ file: SERVICES_TF, from: '    LEAD_FROM_EMAIL                = var.lead_from_email\n', to: '' }],
      /refuses the Cloud Run environment of chatkit-lead:[\s\S]*LEAD_FROM_EMAIL/,
    );
  });

  it('when Terraform misspells a variable (LEAD_TO_EMAILS), then serviceEnv says the code does not read it', async () => {
    await expectProblem(
      'serviceEnv',
      [{ file: SERVICES_TF, from: 'LEAD_TO_EMAIL                  =', to: 'LEAD_TO_EMAILS                 =' }],
      /LEAD_TO_EMAILS is set on chatkit-lead but services\/lead\/src\/config.ts does not read it/,
    );
  });

  it('when the lead code renames CLOUD_TASKS_QUEUE (code side only), then serviceEnv fails', async () => {
    const renamed = {
      ...code.lead,
      envKeys: [...code.lead.envKeys.filter((key) => key !== 'CLOUD_TASKS_QUEUE'), 'LEAD_TASKS_QUEUE'],
      load: (env: Record<string, string>) =>
        env.LEAD_TASKS_QUEUE
          ? code.lead.load({ ...env, CLOUD_TASKS_QUEUE: env.LEAD_TASKS_QUEUE })
          : ({ ok: false, message: '  - LEAD_TASKS_QUEUE: is required' } as const),
    };
    await expectProblem('serviceEnv', [], /CLOUD_TASKS_QUEUE is set on chatkit-lead but services\/lead\/src\/config.ts does not read it/, {
      code: { ...code, lead: renamed },
    });
    await expectProblem('serviceEnv', [], /LEAD_TASKS_QUEUE: is required/, { code: { ...code, lead: renamed } });
  });

  it('when a secret gets a plain value in Terraform, then serviceEnv refuses it', async () => {
    await expectProblem(
      'serviceEnv',
      [
        {
          file: SERVICES_TF,
          from: '    OPENAI_API_KEY_SECRET          = module.secrets.latest_versions["OPENAI_API_KEY"]\n',
          to: '    OPENAI_API_KEY                 = "sk-not-a-real-key"\n',
        },
      ],
      /the secret OPENAI_API_KEY has a plain value in Terraform/,
    );
  });

  it('when the session account loses access to VISITOR_TOKEN_KEYS, then serviceEnv names the secret', async () => {
    await expectProblem(
      'serviceEnv',
      [
        {
          file: STACK_TF,
          from: '    "session/VISITOR_TOKEN_KEYS"     = { secret_id = "VISITOR_TOKEN_KEYS", member = "serviceAccount:${google_service_account.session.email}" }\n',
          to: '',
        },
      ],
      /chatkit-session@.* has no roles\/secretmanager.secretAccessor on VISITOR_TOKEN_KEYS/,
    );
  });

  it('when a secret is renamed in Terraform but the service still reads the default name, then serviceEnv fails', async () => {
    await expectProblem(
      'serviceEnv',
      [
        { file: SERVICES_TF, from: '    VISITOR_TOKEN_KEYS_SECRET  = module.secrets.latest_versions["VISITOR_TOKEN_KEYS"]\n', to: '' },
        { file: STACK_TF, from: '"VISITOR_TOKEN_KEYS"', to: '"VISITOR_KEYS"', all: true },
      ],
      /VISITOR_TOKEN_KEYS is read from projects\/[^/]+\/secrets\/VISITOR_TOKEN_KEYS, which Terraform does not define/,
    );
  });

  it('when the lead service is pointed at a queue Terraform does not have, then queues fails', async () => {
    await expectProblem(
      'queues',
      [{ file: SERVICES_TF, from: 'module.lead_queue.name', to: '"lead-evaluation"' }],
      /creates tasks in projects\/.*\/queues\/lead-evaluation, which Terraform does not define/,
    );
  });

  it('when the session service names another Cloud Tasks region, then queues fails', async () => {
    await expectProblem(
      'queues',
      [{ file: SERVICES_TF, from: '    CLOUD_TASKS_LOCATION       = var.region', to: '    CLOUD_TASKS_LOCATION       = "us-central1"' }],
      /locations\/us-central1\/queues\/lead-triggers, which Terraform does not define/,
    );
  });

  it('when the session code derives another trigger queue (code side only), then queues fails', async () => {
    const session = {
      ...code.session,
      queuePath: (config: Parameters<typeof code.session.queuePath>[0]) =>
        code.session.queuePath(config).replace(/lead-triggers$/, 'lead-trigger'),
    };
    await expectProblem('queues', [], /queues\/lead-trigger, which Terraform does not define/, { code: { ...code, session } });
  });

  it('when the lead account may no longer enqueue, then queues fails', async () => {
    await expectProblem(
      'queues',
      [
        {
          file: STACK_TF,
          from: '  enqueuers                 = { lead = "serviceAccount:${google_service_account.lead.email}" }',
          to: '  enqueuers                 = {}',
        },
      ],
      /has no roles\/cloudtasks.enqueuer/,
    );
  });

  it('when the queue allows fewer attempts than TASK_MAX_ATTEMPTS, then retrySettings fails', async () => {
    await expectProblem(
      'retrySettings',
      [{ file: STACK_TF, from: '  max_attempts              = local.task_max_attempts', to: '  max_attempts              = 5' }],
      /TASK_MAX_ATTEMPTS is 8 but the queue's retry_config.max_attempts is 5/,
    );
  });

  it('when the lead code expects another attempt count (code side only), then retrySettings fails', async () => {
    const lead = {
      ...code.lead,
      taskSettings: (config: Parameters<typeof code.lead.taskSettings>[0]) => ({ ...code.lead.taskSettings(config), maxAttempts: 10 }),
    };
    await expectProblem('retrySettings', [], /TASK_MAX_ATTEMPTS is 10/, { code: { ...code, lead } });
  });

  it('when the queue gets a max_retry_duration, then retrySettings fails', async () => {
    await expectProblem(
      'retrySettings',
      [
        {
          file: 'infra/modules/task-queue/main.tf',
          from: '    max_doublings = var.max_doublings\n',
          to: '    max_doublings = var.max_doublings\n    max_retry_duration = "600s"\n',
        },
      ],
      /max_retry_duration/,
    );
  });

  it('when the lead service times out before the task dispatch deadline, then retrySettings fails', async () => {
    await expectProblem(
      'retrySettings',
      [
        {
          file: SERVICES_TF,
          from: '  request_timeout_seconds = local.task_dispatch_deadline_seconds',
          to: '  request_timeout_seconds = 60',
        },
      ],
      /request timeout \(60s\) is shorter than TASK_DISPATCH_DEADLINE_SECONDS/,
    );
  });

  it('when the session service signs trigger tasks as another account, then taskIdentity fails', async () => {
    await expectProblem(
      'taskIdentity',
      [
        {
          file: SERVICES_TF,
          from: '    TASK_SERVICE_ACCOUNT_EMAIL = google_service_account.tasks.email',
          to: '    TASK_SERVICE_ACCOUNT_EMAIL = google_service_account.lead.email',
        },
      ],
      /signs trigger tasks as chatkit-lead@.* but the lead worker accepts only chatkit-lead-tasks@/,
    );
  });

  it('when TASK_HANDLER_URL points at the session service, then taskIdentity fails', async () => {
    await expectProblem(
      'taskIdentity',
      [{ file: SERVICES_TF, from: '"${local.lead_url}/tasks/lead"', to: '"${local.session_url}/tasks/lead"' }],
      /TASK_HANDLER_URL is https:\/\/chatkit-session-/,
    );
  });

  it('when the session service may not act as the tasks account, then taskIdentity fails', async () => {
    await expectProblem(
      'taskIdentity',
      [
        {
          file: 'infra/modules/lead-intake/iam.tf',
          from: 'resource "google_service_account_iam_member" "session_acts_as_tasks" {\n  service_account_id = google_service_account.tasks.name',
          to: 'resource "google_service_account_iam_member" "session_acts_as_tasks" {\n  service_account_id = google_service_account.lead.name',
        },
      ],
      /the session service's account may not act as chatkit-lead-tasks@/,
    );
  });
});
