/** Every hour (EventBridge): close the weeks that have ended, write report cards, email each coach once. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { clock } from '../../shared/adapters/clock.js';
import { coachDirectory } from '../../shared/adapters/coach-directory.js';
import { dynamoParticipantRepository } from '../../shared/adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from '../../shared/adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from '../../shared/adapters/dynamodb/prompts.js';
import { dynamoSummaryRepository } from '../../shared/adapters/dynamodb/summaries.js';
import { flushMetrics } from '../../shared/adapters/metrics.js';
import { sesEmailSender } from '../../shared/channels/email/adapters/ses/email-sender.js';
import { dashboardUrlConfig } from '../../shared/config.js';
import { logger } from '../../shared/logger.js';
import { closeWeeks } from '../../shared/usecases/summaries.js';

const deps = {
  summaries: dynamoSummaryRepository,
  participants: dynamoParticipantRepository,
  programs: dynamoProgramRepository,
  prompts: dynamoPromptRepository,
  coaches: coachDirectory(),
  email: sesEmailSender,
  clock,
  dashboardUrl: dashboardUrlConfig().DASHBOARD_URL,
};

export const handler = middy<ScheduledEvent>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(flushMetrics())
  .handler(async () => closeWeeks(deps));
