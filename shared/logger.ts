/**
 * Structured JSON logging (Powertools Logger). Log participant ids, never phone numbers or email
 * addresses: the helpers that take personal data return ids or masked values only.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { config } from './config.js';

/** The process logger. */
export const logger = new Logger({ serviceName: 'nanocoach', logLevel: config.POWERTOOLS_LOG_LEVEL });

/** "+12125550123" → "+1212*****23": enough to tell numbers apart in an incident, not to call one. */
export function maskPhone(phone: string): string {
  return phone.length <= 6 ? '***' : `${phone.slice(0, 5)}${'*'.repeat(phone.length - 7)}${phone.slice(-2)}`;
}
