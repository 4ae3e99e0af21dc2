import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'folder';
  send(mail: OutgoingMail): Promise<void>;
}

const FROM = 'Redress claims <claims@redress.invalid>';

/** SMTP_URL set: real delivery through nodemailer. */
export function smtpMailer(url: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    kind: 'smtp',
    send: async (mail) => {
      await transport.sendMail({
        from: FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
    },
  };
}

/** No SMTP: each mail is written as an .eml file in a folder, so a demo can show it. */
export function folderMailer(folder: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'folder',
    send: async (mail) => {
      const info = await transport.sendMail({
        from: FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `${mail.messageId.replace(/[^\w.-]/g, '_')}.eml`), info.message as Buffer);
    },
  };
}
