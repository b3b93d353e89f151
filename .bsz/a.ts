import { twilioSmsSender } from '../shared/adapters/twilio/sms-sender.ts';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export const x = [twilioSmsSender, SESv2Client, SendEmailCommand, DynamoDBDocumentClient, DynamoDBClient];
