import { twilioSmsSender } from '../shared/adapters/twilio/sms-sender.ts';
export const x = [twilioSmsSender];
