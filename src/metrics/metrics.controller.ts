import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { answerScrape } from './metrics-access';

/** GET /metrics on the HTTP port: only with METRICS_TOKEN configured, and only for a scraper that sends it. */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  async scrape(@Req() request: Request, @Res() response: Response): Promise<void> {
    const token = this.config.observability.metricsToken;
    // Without a token the metrics are not on the public port at all (METRICS_PORT serves them apart).
    if (token === undefined) throw new NotFoundException();
    await answerScrape(request, response, token);
  }
}
