import { MessageListInstance } from 'twilio/lib/rest/api/v2010/account/message.js';
export const x = [MessageListInstance];
