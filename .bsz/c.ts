import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
export const x = [SESv2Client, SendEmailCommand];
