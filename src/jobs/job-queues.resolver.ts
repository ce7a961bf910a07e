import { Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../access/auth.decorators';
import { Permission } from '../kernel/role';
import { JobQueue, QueueCounts } from './job-queue';

@ObjectType({
  description: 'One job queue of the installation (all organizations): what Bull Board shows, also without Redis',
})
export class JobQueueStatus implements QueueCounts {
  @Field(() => String, { description: 'housekeeping, imports or notifications' })
  name: QueueCounts['name'];

  @Field(() => Int)
  waiting: number;

  @Field(() => Int, { description: 'Waiting for a retry’s backoff or a repeat’s next run' })
  delayed: number;

  @Field(() => Int)
  active: number;

  @Field(() => Int, { description: 'Since the process started (in-process) or within Bull’s retention of a day' })
  completed: number;

  @Field(() => Int, { description: 'Failed for good: no attempt left' })
  failed: number;
}

@Resolver()
export class JobQueuesResolver {
  constructor(private readonly queue: JobQueue) {}

  @Query(() => [JobQueueStatus], {
    description:
      'The job queues’ counts (read-only; admins). With Redis, Bull Board at /admin/queues shows the jobs too.',
  })
  @RequirePermission(Permission.VIEW_JOB_QUEUES)
  jobQueues(): Promise<QueueCounts[]> {
    return this.queue.counts();
  }
}
