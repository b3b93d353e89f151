import RequestClient from 'twilio/lib/base/RequestClient.js';
export const x = [RequestClient];
