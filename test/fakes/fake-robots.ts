import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { dingtalkSign, feishuSign } from "@/server/alerts/signatures";

// Stand-ins for the chat robots alerts go to, on 127.0.0.1, answering as the
// vendors document: WeCom and DingTalk {"errcode":0,"errmsg":"ok"}, Feishu
// {"code":0,"msg":"success"}; a wrong DingTalk / Feishu signature gets the
// vendor's error code with HTTP 200, as the real ones do.

export type RobotCall = { robot: "wecom" | "dingtalk" | "feishu" | "webhook"; url: string; headers: Record<string, string | string[] | undefined>; json: any; text: string };

export type FakeRobots = {
  /** Base URL; robots at /wecom, /dingtalk, /feishu, /webhook. */
  url: string;
  calls: RobotCall[];
  /** The secrets the DingTalk and Feishu robots check signatures against. */
  secrets: { dingtalk: string; feishu: string };
  /** Answer every call with this status (a proxy's 502…); null = normal. */
  failWith: number | null;
  waitForCalls(n: number, timeoutMs?: number): Promise<RobotCall[]>;
  close(): Promise<void>;
};

export async function startFakeRobots(secrets = { dingtalk: "SECdingtalk-secret", feishu: "feishu-secret" }, port = 0): Promise<FakeRobots> {
  const calls: RobotCall[] = [];
  const waiters = new Set<() => void>();
  const robots = { calls, secrets, failWith: null as number | null } as FakeRobots;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const robot = url.pathname.slice(1) as RobotCall["robot"];
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      if (robots.failWith) return answer(robots.failWith, { error: "bad gateway" });
      if (robot === "dingtalk") {
        const timestamp = Number(url.searchParams.get("timestamp"));
        const expected = decodeURIComponent(dingtalkSign(timestamp, secrets.dingtalk));
        if (url.searchParams.get("sign") !== expected) return answer(200, { errcode: 310000, errmsg: "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]" });
      }
      if (robot === "feishu" && json?.sign !== feishuSign(Number(json?.timestamp), secrets.feishu)) {
        return answer(200, { code: 19021, msg: "sign match fail or timestamp is not within one hour from current time", data: {} });
      }
      calls.push({ robot, url: req.url ?? "", headers: req.headers, json, text });
      for (const wake of waiters) wake();
      if (robot === "feishu") return answer(200, { code: 0, msg: "success", data: {} });
      if (robot === "webhook") return answer(204, null);
      return answer(200, { errcode: 0, errmsg: "ok" });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  robots.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  robots.waitForCalls = (n, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (calls.length < n) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(calls.slice(0, n));
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`expected ${n} robot calls, got ${calls.length}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  robots.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return robots;
}

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string };

export type SmtpSink = {
  url: string;
  mails: ReceivedMail[];
  /** Refuse every recipient with 550 (an SMTP server that will not relay). */
  refuse: boolean;
  close(): Promise<void>;
};

/** An SMTP server on loopback (smtp-server, no TLS, any login) keeping what it receives, parsed. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { mails: [] as ReceivedMail[], refuse: false } as SmtpSink;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: "alerts" }),
    onRcptTo: (address, _session, callback) => {
      if (sink.refuse) return callback(Object.assign(new Error("5.7.1 Relaying denied"), { responseCode: 550 }));
      callback();
    },
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          sink.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: mail.subject ?? "",
            text: mail.text ?? "",
          });
          callback();
        })
        .catch(callback);
    },
    logger: false,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://alerts:pass@127.0.0.1:${port}`;
  sink.close = () => new Promise((resolve) => server.close(() => resolve()));
  return sink;
}
