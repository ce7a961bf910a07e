import { Injectable, Type } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { JOB_HANDLER_METADATA, JobHandler, JobHandlerTarget, QueueName } from './job-queue';

export interface RegisteredHandler {
  target: JobHandlerTarget;
  handler: JobHandler;
}

/** Finds every provider marked with @JobHandlerFor, wherever its module is. */
@Injectable()
export class JobHandlerRegistry {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  all(): RegisteredHandler[] {
    return this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance)
      .map((wrapper) => ({
        target: this.reflector.get<JobHandlerTarget | undefined>(JOB_HANDLER_METADATA, wrapper.metatype as Type),
        handler: wrapper.instance as JobHandler,
      }))
      .filter((entry): entry is RegisteredHandler => !!entry.target);
  }

  forQueue(queue: QueueName): RegisteredHandler[] {
    return this.all().filter((entry) => entry.target.queue === queue);
  }
}
