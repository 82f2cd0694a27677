import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Port for sending e-mail; the SMTP adapter is the only one so far. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
}

export function createSmtpTransport(smtpUrl: string): MailTransport {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail(mail);
    },
  };
}
