import nodemailer from "nodemailer";
import type { AlertMessage } from "@/db/schema/alerts";
import { messageText } from "@/server/alerts/alert-message";
import type { ChannelKind, ChannelSettings } from "@/lib/alert-channel-kinds";
import { buildChannelRequest, readChannelAnswer } from "@/server/alerts/channel-requests";

export type SendOutcome = { error: string | null; status?: number };

/**
 * Hands one message to one channel, within `timeoutMs`. Never throws: an
 * unreachable URL, a vendor's error code, an SMTP refusal all come back as
 * `error`, the text the admin reads on the test button and in the send log.
 */
export async function sendToChannel(
  kind: ChannelKind,
  settings: ChannelSettings,
  message: AlertMessage,
  options: { timeoutMs: number; now?: Date },
): Promise<SendOutcome> {
  try {
    if (kind === "email") return await sendEmail(settings, message, options.timeoutMs);
    const request = buildChannelRequest(kind, settings, message, options.now ?? new Date());
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const body = await response.text();
    return { error: readChannelAnswer(kind, response.status, body), status: response.status };
  } catch (error) {
    return { error: describeError(error, options.timeoutMs) };
  }
}

async function sendEmail(settings: ChannelSettings, message: AlertMessage, timeoutMs: number): Promise<SendOutcome> {
  if (!settings.smtpUrl || !settings.from || !settings.to) return { error: "SMTP_URL、发件人和收件人都要设置 (SMTP URL, from and to are required)" };
  const transport = nodemailer.createTransport(settings.smtpUrl, {
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: message.title,
      text: messageText(message),
      // A Markdown-ish body reads well in a mail client that shows text only; no HTML to sanitise.
      headers: { "X-Hub-Alert": message.kind },
    });
    return { error: null };
  } finally {
    transport.close();
  }
}

/** Error text an admin can act on: the system call's code, the SMTP reply, or "timed out". */
export function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return `${timeoutMs} ms 内无应答 (timed out after ${timeoutMs} ms)`;
    const smtp = error as Error & { responseCode?: number; response?: string; code?: string };
    if (smtp.responseCode) return `SMTP ${smtp.responseCode}: ${smtp.response ?? smtp.message}`;
    // fetch says "fetch failed"; the reason is in its cause (an AggregateError when every address failed).
    type Cause = { code?: string; message?: string; errors?: Cause[] };
    let cause = (error as Error & { cause?: Cause }).cause;
    if (cause?.errors?.length) cause = { ...cause.errors[0], code: cause.code ?? cause.errors[0]!.code };
    if (cause?.code) return `${cause.code}: ${cause.message || error.message}`;
    if (cause?.message) return `${error.message}: ${cause.message}`;
    if (smtp.code) return `${smtp.code}: ${error.message}`;
    return error.message;
  }
  return String(error);
}

