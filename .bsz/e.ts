import BaseTwilio from 'twilio/lib/base/BaseTwilio.js';
export const x = [BaseTwilio];
