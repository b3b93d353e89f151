/**
 * Structured JSON logging (Powertools Logger). Log participant ids, never phone numbers or email
 * addresses (the end-to-end tests read the logs to hold us to that).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { logConfig } from './config.js';

/** The process logger. */
export const logger = new Logger({ serviceName: 'nanocoach', logLevel: logConfig().POWERTOOLS_LOG_LEVEL });
