import type { UnaryHandlers } from '../grpc-server.js';
import { paginate } from '../paging.js';
import type { CloudTasksOperations } from './operations.js';
import type { QueueInput } from './queue-config.js';
import type { TaskInput } from './task-input.js';
import { queueToProto, taskToProto, viewOf } from './to-proto.js';

/** gRPC handlers of google.cloud.tasks.v2.CloudTasks. IAM methods are left UNIMPLEMENTED. */

interface NameRequest {
  name?: string;
  responseView?: string;
}
interface ListRequest {
  parent?: string;
  filter?: string;
  pageSize?: number;
  pageToken?: string;
  responseView?: string;
}

const QUEUE_PAGES = { defaultSize: 100, maxSize: 9800 };
const TASK_PAGES = { defaultSize: 1000, maxSize: 1000 };

export function cloudTasksHandlers(ops: CloudTasksOperations): UnaryHandlers {
  return {
    CreateQueue: (request: { parent?: string; queue?: QueueInput }) => queueToProto(ops.createQueue(request.parent, request.queue)),
    UpdateQueue: (request: { queue?: QueueInput; updateMask?: { paths?: string[] } }) =>
      queueToProto(ops.updateQueue(request.queue, request.updateMask?.paths)),
    GetQueue: (request: NameRequest) => queueToProto(ops.getQueue(request.name)),
    ListQueues: (request: ListRequest) => {
      const page = paginate(ops.listQueues(request.parent, request.filter), request.pageSize, request.pageToken, QUEUE_PAGES);
      return { queues: page.items.map(queueToProto), nextPageToken: page.nextPageToken };
    },
    DeleteQueue: (request: NameRequest) => {
      ops.deleteQueue(request.name);
      return {};
    },
    PurgeQueue: (request: NameRequest) => queueToProto(ops.purgeQueue(request.name)),
    PauseQueue: (request: NameRequest) => queueToProto(ops.pauseQueue(request.name)),
    ResumeQueue: (request: NameRequest) => queueToProto(ops.resumeQueue(request.name)),

    CreateTask: (request: { parent?: string; task?: TaskInput; responseView?: string }) =>
      taskToProto(ops.createTask(request.parent, request.task), viewOf(request.responseView)),
    GetTask: (request: NameRequest) => taskToProto(ops.getTask(request.name), viewOf(request.responseView)),
    ListTasks: (request: ListRequest) => {
      const page = paginate(ops.listTasks(request.parent), request.pageSize, request.pageToken, TASK_PAGES);
      const view = viewOf(request.responseView);
      return { tasks: page.items.map((task) => taskToProto(task, view)), nextPageToken: page.nextPageToken };
    },
    DeleteTask: (request: NameRequest) => {
      ops.deleteTask(request.name);
      return {};
    },
    RunTask: (request: NameRequest) => taskToProto(ops.runTask(request.name), viewOf(request.responseView)),
  };
}
