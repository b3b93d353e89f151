/**
 * The composition root: which adapter serves each port. Handlers import `deps` and pass it to their
 * use case; tests call use cases with the same object or with their own.
 */
import { clock } from './adapters/clock.js';
import { dynamoParticipantRepository } from './adapters/dynamodb/participants.js';
import { dynamoProgramRepository } from './adapters/dynamodb/programs.js';
import { dynamoPromptRepository } from './adapters/dynamodb/prompts.js';
import { dynamoReplyRepository } from './adapters/dynamodb/replies.js';
import { dynamoTimerIndex } from './adapters/dynamodb/timers.js';
import { powertoolsMetrics } from './adapters/metrics.js';
import { sqsSendQueue } from './adapters/sqs/send-queue.js';
import { twilioSmsSender } from './adapters/twilio/sms-sender.js';
import { config } from './config.js';
import type {
  Clock,
  MetricsSink,
  ParticipantRepository,
  ProgramRepository,
  PromptRepository,
  ReplyRepository,
  SendQueue,
  SmsSender,
  TimerIndex,
} from './ports.js';

/** Everything a use case may need. */
export interface Deps {
  readonly clock: Clock;
  readonly programs: ProgramRepository;
  readonly participants: ParticipantRepository;
  readonly timers: TimerIndex;
  readonly prompts: PromptRepository;
  readonly replies: ReplyRepository;
  readonly sms: SmsSender;
  readonly sendQueue: SendQueue;
  readonly metrics: MetricsSink;
  readonly settings: {
    readonly publicBaseUrl: string;
    readonly sendMaxAttempts: number;
  };
}

/** The production wiring (also used, unchanged, by the local stack). */
export const deps: Deps = {
  clock,
  programs: dynamoProgramRepository,
  participants: dynamoParticipantRepository,
  timers: dynamoTimerIndex,
  prompts: dynamoPromptRepository,
  replies: dynamoReplyRepository,
  sms: twilioSmsSender,
  sendQueue: sqsSendQueue,
  metrics: powertoolsMetrics,
  settings: {
    publicBaseUrl: config.PUBLIC_BASE_URL.replace(/\/$/u, ''),
    sendMaxAttempts: config.SEND_MAX_ATTEMPTS,
  },
};
