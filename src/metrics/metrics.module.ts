import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { MetricsCollectors } from './metrics.collectors';
import { MetricsController } from './metrics.controller';
import { MetricsServer } from './metrics-server';

/** Prometheus metrics of this process: /metrics on the HTTP port (api roles) and/or METRICS_PORT (any role). */
@Module({})
export class MetricsModule {
  static forRole(config: AppConfig): DynamicModule {
    return {
      module: MetricsModule,
      controllers: config.role === 'worker' ? [] : [MetricsController],
      providers: [MetricsCollectors, MetricsServer],
      exports: [MetricsServer],
    };
  }
}
