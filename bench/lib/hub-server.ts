import path from "node:path";
import { listeningPid, peakRssMiB, resetPeakRss, startChild, waitForHttp, type Child } from "@/bench/lib/processes";

export const POS_TOKEN = "bench-pos-token";

export type HubServer = { url: string; pid: number; child: Child; peakRssMiB(): number; resetPeakRss(): void; stop(): Promise<void> };

/** `next start` of the production build on its own port, with the bench's environment. */
export async function startHub(options: { port: number; databaseUrl: string; env?: Record<string, string> }): Promise<HubServer> {
  const next = path.join(process.cwd(), "node_modules/next/dist/bin/next");
  const child = startChild(process.execPath, [next, "start", "-p", String(options.port)], {
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    HUB_POS_TOKEN: POS_TOKEN,
    HUB_OMS_TOKEN: "bench-oms-token",
    HUB_BENCH: "1",
    ADMIN_EMAIL: "bench@example.com",
    ADMIN_PASSWORD: "bench-password-1234",
    AUTH_SECRET: "bench-auth-secret-bench-auth-secret",
    OMS_BASE_URL: "",
    POS_BASE_URL: "",
    ...options.env,
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${url}/api/health`);
  } catch (error) {
    await child.stop();
    throw new Error(`${(error as Error).message}\n${child.output.slice(-20).join("\n")}`, { cause: error });
  }
  const pid = listeningPid(options.port);
  return {
    url,
    pid,
    child,
    peakRssMiB: () => peakRssMiB(pid),
    resetPeakRss: () => resetPeakRss(pid),
    stop: () => child.stop(),
  };
}
