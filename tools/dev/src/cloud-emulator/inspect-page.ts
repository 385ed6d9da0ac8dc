import type { SecretSummary } from './secret-manager/helpers.js';
import type { QueueSnapshot, TaskSnapshot } from './tasks/helpers.js';

/** The HTML overview served at `/` (no scripts; refresh the page to update). */

const escape = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function taskRows(tasks: readonly TaskSnapshot[]): string {
  if (tasks.length === 0) return '<tr><td colspan="7"><em>none</em></td></tr>';
  return tasks
    .map((task) => {
      const last = task.attempts.at(-1);
      return `<tr><td>${escape(task.name.split('/').pop())}</td><td>${escape(task.status)}</td><td>${escape(task.method)} ${escape(task.url)}</td><td>${task.dispatchCount}</td><td>${escape(task.lastResponseStatus ?? last?.message ?? '')}</td><td>${escape(task.nextAttemptTime ?? '')}</td><td>${escape(task.finishTime ?? '')}</td></tr>`;
    })
    .join('\n');
}

const TASK_HEAD =
  '<tr><th>task</th><th>status</th><th>target</th><th>attempts</th><th>last response</th><th>next attempt</th><th>finished</th></tr>';

export function renderInspectPage(data: {
  projectId: string;
  queues: readonly QueueSnapshot[];
  finished: readonly TaskSnapshot[];
  secrets: readonly SecretSummary[];
}): string {
  const queues = data.queues
    .map(
      (
        queue,
      ) => `<h3>${escape(queue.name)} <small>${escape(queue.state)}, in flight ${queue.inFlight}/${queue.rateLimits.maxConcurrentDispatches}, retry: max ${queue.retryConfig.maxAttempts} attempts, backoff ${queue.retryConfig.minBackoffMs}–${queue.retryConfig.maxBackoffMs} ms, ${queue.retryConfig.maxDoublings} doublings</small></h3>
<table>${TASK_HEAD}${taskRows(queue.tasks)}</table>`,
    )
    .join('\n');
  const secrets = data.secrets
    .map(
      (secret) =>
        `<tr><td>${escape(secret.name)}</td><td>${secret.versions.map((v) => `${v.version}:${escape(v.state)}`).join(', ')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Cloud emulator</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;margin-bottom:1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;font-size:.9rem}small{font-weight:normal;color:#555}</style>
</head><body>
<h1>Cloud Tasks + Secret Manager emulator</h1>
<p>Project <code>${escape(data.projectId)}</code>. JSON: <a href="/tasks.json">/tasks.json</a>, <a href="/secrets.json">/secrets.json</a>. OIDC certs: <a href="/oauth2/v1/certs">PEM</a>, <a href="/oauth2/v3/certs">JWKS</a>.</p>
<h2>Queues</h2>
${queues || '<p><em>no queues</em></p>'}
<h2>Recently finished tasks</h2>
<table>${TASK_HEAD}${taskRows(data.finished)}</table>
<h2>Secrets</h2>
<table><tr><th>secret</th><th>versions</th></tr>${secrets || '<tr><td colspan="2"><em>none</em></td></tr>'}</table>
</body></html>`;
}
