import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';

export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'folder';
  /**
   * Sends one e-mail. `signal` aborts it when the worker gives up (its timeout): over SMTP the
   * message leaves the pool's queue or its connection is closed, so it is not delivered later,
   * after the mail was handed back to be retried or its customer erased.
   */
  send(mail: OutgoingMail, options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Deletes our copy of a sent mail (an erasure); true when there was one. Mail sent over SMTP
   * has left us: nothing is kept to delete.
   */
  forget(messageId: string): Promise<boolean>;
  /** Closes the connections a mailer keeps open (SMTP's pool). */
  close?(): Promise<void>;
}

/**
 * SMTP connections kept open and used at once: the worker sends this many recipients' mails at
 * a time (send-mail.ts). Opening a connection per mail, as an unpooled transport does, cost a
 * TCP (and TLS) handshake and the server's greeting for every mail.
 */
export const SMTP_CONNECTIONS = 5;

const FROM = 'Redress claims <claims@redress.invalid>';

/**
 * nodemailer (39 modules) is imported with the first mail, not with the server: most processes
 * (a CLI command, a server whose worker runs elsewhere) never send one. Creating a transport
 * opens no connection, so creating it then instead of at start changes nothing else.
 */
function lazyTransport(
  create: (nodemailer: typeof import('nodemailer').default) => Transporter,
): () => Promise<Transporter> {
  let transport: Promise<Transporter> | undefined;
  return () => {
    transport ??= import('nodemailer').then((module) => create(module.default));
    return transport;
  };
}

/**
 * SMTP_URL set: real delivery through nodemailer, over a pool of SMTP_CONNECTIONS connections
 * unless the URL says otherwise (`?pool=false`; the URL's own settings win).
 */
export function smtpMailer(url: string): Mailer {
  let asked = false;
  const created = lazyTransport((nodemailer) =>
    nodemailer.createTransport({ url, pool: true, maxConnections: SMTP_CONNECTIONS }),
  );
  const transport = () => {
    asked = true;
    return created();
  };
  return {
    // Closed once asked for, even while the first send still imports nodemailer.
    close: async () => {
      if (asked) (await transport()).close();
    },
    kind: 'smtp',
    send: async (mail, options = {}) => {
      await (await transport()).sendMail({
        from: FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    },
    forget: async () => false,
  };
}

/** No SMTP: each mail is written as an .eml file in a folder, so a demo can show it. */
/** The Message-ID a delivery is sent under (send-mail.ts), so an erasure can find its file. */
export const mailMessageId = (deliveryId: string) => `<${deliveryId}@redress>`;

export function folderMailer(folder: string): Mailer {
  const transport = lazyTransport((nodemailer) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
  );
  const fileOf = (messageId: string) => join(folder, `${messageId.replace(/[^\w.-]/g, '_')}.eml`);
  return {
    kind: 'folder',
    send: async (mail) => {
      const info = await (await transport()).sendMail({
        from: FROM,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
      // The folder is made when a write finds it missing, not before every mail: a recursive
      // mkdir per mail was a tenth of the mail pass.
      const file = fileOf(mail.messageId);
      await writeFile(file, info.message as Buffer).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        await mkdir(folder, { recursive: true });
        await writeFile(file, info.message as Buffer);
      });
    },
    forget: async (messageId) => {
      const file = fileOf(messageId);
      const existed = await stat(file).then(
        () => true,
        () => false,
      );
      await rm(file, { force: true });
      return existed;
    },
  };
}
