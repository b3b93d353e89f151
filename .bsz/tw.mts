process.env.TWILIO_FROM='+15005550006'; process.env.TWILIO_ACCOUNT_SID='AC00000000000000000000000000000000'; process.env.TWILIO_AUTH_TOKEN='xxxxxxxxxxxx'; process.env.TWILIO_API_BASE_URL='http://127.0.0.1:9';
const { twilioSmsSender } = await import('/work/main/shared/adapters/twilio/sms-sender.ts');
try { await twilioSmsSender.send({to:'+12125550123', text:'hi'}); } catch(e) { console.log(e.kind, e.code, e.message, e.stack?.split('\n').slice(0,3)); }
