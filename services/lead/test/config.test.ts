import { describe, expect, it } from 'vitest';
import { chatThreadStoreOptions, leadTaskAudience, loadConfig, triggerTaskAudiences } from '../src/config.js';

const required = {
  GOOGLE_CLOUD_PROJECT: 'my-project',
  OPENAI_API_KEY: 'sk-x',
  TASK_HANDLER_URL: 'https://chatkit-lead-abc-uw.a.run.app/tasks/lead',
  TASK_SERVICE_ACCOUNT_EMAIL: 'lead-tasks@my-project.iam.gserviceaccount.com',
  LEAD_TO_EMAIL: 'shop@example.com',
  LEAD_FROM_EMAIL: 'leads@example.com',
};

describe('lead config', () => {
  it('when nothing is set about threads or audiences, then threads come from chatThreads and each task endpoint has its own URL as audience', () => {
    const config = loadConfig(required);
    expect(config.CHAT_THREADS_COLLECTION).toBe('chatThreads');
    expect(chatThreadStoreOptions(config).collection).toBe('chatThreads');
    expect(leadTaskAudience(config)).toBe('https://chatkit-lead-abc-uw.a.run.app/tasks/lead');
    expect(triggerTaskAudiences(config)).toEqual(['https://chatkit-lead-abc-uw.a.run.app/tasks/trigger']);
    expect(config.CONVERSATION_URL_TEMPLATE).toBeUndefined();
  });

  it('when CONVERSATION_URL_TEMPLATE is an http(s) URL with {threadId}, then it is kept as written', () => {
    const template = 'https://console.cloud.google.com/firestore/databases/-default-/data/panel/chatThreads/{threadId}?project=my-project';
    expect(loadConfig({ ...required, CONVERSATION_URL_TEMPLATE: template }).CONVERSATION_URL_TEMPLATE).toBe(template);
  });

  it('when CHAT_THREADS_COLLECTION, TASK_AUDIENCE and TRIGGER_TASK_AUDIENCE are set, then they are used (the trigger accepts every listed audience)', () => {
    const config = loadConfig({
      ...required,
      CHAT_THREADS_COLLECTION: 'chatThreads_staging',
      TASK_AUDIENCE: 'https://lead.example.com/tasks/lead',
      TRIGGER_TASK_AUDIENCE: 'https://lead.example.com/tasks/trigger, https://chatkit-lead-abc-uw.a.run.app/tasks/trigger',
    });
    expect(chatThreadStoreOptions(config).collection).toBe('chatThreads_staging');
    expect(leadTaskAudience(config)).toBe('https://lead.example.com/tasks/lead');
    expect(triggerTaskAudiences(config)).toEqual([
      'https://lead.example.com/tasks/trigger',
      'https://chatkit-lead-abc-uw.a.run.app/tasks/trigger',
    ]);
  });

  it.each([
    ['CHAT_THREADS_COLLECTION', 'chat/threads'],
    ['TRIGGER_TASK_AUDIENCE', 'not a url'],
    ['CONVERSATION_URL_TEMPLATE', 'https://console.example/no-placeholder'],
    ['CONVERSATION_URL_TEMPLATE', 'javascript:alert({threadId})'],
  ])('when %s is invalid, then startup fails naming it', (name, value) => {
    expect(() => loadConfig({ ...required, [name]: value })).toThrow(new RegExp(name));
  });
});

describe('comma-separated list variables', () => {
  it.each([
    ['LEAD_TO_EMAIL', ' shop@example.com , owner@example.com ', ['shop@example.com', 'owner@example.com']],
    [
      'TRIGGER_TASK_AUDIENCE',
      'https://a.example/tasks/trigger,https://b.example/tasks/trigger',
      ['https://a.example/tasks/trigger', 'https://b.example/tasks/trigger'],
    ],
    ['TRIGGER_TASK_AUDIENCE', '', []],
  ] as const)('when %s is %j, then it parses to the trimmed list', (name, value, list) => {
    expect(loadConfig({ ...required, [name]: value })[name]).toEqual(list);
  });

  const failure = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
      return 'loaded';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each([
    ['LEAD_TO_EMAIL', 'shop@example.com,not-an-address', '"not-an-address" is not an email address'],
    ['LEAD_TO_EMAIL', ' , ', 'must list at least one address'],
    ['TRIGGER_TASK_AUDIENCE', 'https://a.example/ok,/relative', '"/relative" is not an absolute URL'],
  ] as const)('when %s is %j, then loading fails naming the variable and the bad entry', (name, value, reason) => {
    const message = failure({ ...required, [name]: value });
    expect(message).toContain(name);
    expect(message).toContain(reason);
  });
});
