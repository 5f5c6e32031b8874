import { listeningPid, peakRssMiB, resetPeakRss, startChild, waitForHttp, type Child } from "@/bench/lib/processes";

export const POS_TOKEN = "bench-pos-token";

export type HubServer = { url: string; pid: number; child: Child; peakRssMiB(): number; resetPeakRss(): void; stop(): Promise<void> };

/**
 * The hub as `npm start` runs it (server/http-main.ts over the production
 * build in NEXT_DIST_DIR) on its own port, with the bench's environment: on
 * PostgreSQL at `databaseUrl`, or on the embedded database in env.DATA_DIR when
 * it is undefined. One partner token (HUB_POS_TOKEN) carries every load, so its
 * cap of calls in flight is raised to the instance's (the loads stand for many
 * stores; a real chain gives each its own token).
 */
export async function startHub(options: { port: number; databaseUrl?: string; env?: Record<string, string> }): Promise<HubServer> {
  const child = startChild(process.execPath, ["--import", "tsx", "server/http-main.ts"], {
    NODE_ENV: "production",
    PORT: String(options.port),
    HOST: "127.0.0.1",
    DATABASE_URL: options.databaseUrl,
    HUB_POS_TOKEN: POS_TOKEN,
    HUB_OMS_TOKEN: "bench-oms-token",
    HUB_BENCH: "1",
    ADMIN_EMAIL: "bench@example.com",
    ADMIN_PASSWORD: "bench-password-1234",
    AUTH_SECRET: "bench-auth-secret-bench-auth-secret",
    OMS_BASE_URL: "",
    POS_BASE_URL: "",
    PARTNER_CALLS_IN_FLIGHT_PER_TOKEN: "1000",
    LOG_LEVEL: "warn",
    ...options.env,
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    // As a load balancer would: ready once warmed up (server/partner/warm-up.ts), not merely answering.
    await waitForHttp(`${url}/api/health/ready`, 120_000);
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
