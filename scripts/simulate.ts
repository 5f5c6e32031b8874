import { parseArgs } from "node:util";
import { assertLoopback, createHubClient, UnexpectedAnswer, type HubClient } from "@/scripts/lib/hub-client";
import { scheduleOutages, type OutageControl } from "@/scripts/lib/outages";
import { createRng } from "@/scripts/lib/random";
import { pickScenario, SCENARIOS } from "@/scripts/lib/scenarios";
import { SimulationStats } from "@/scripts/lib/simulation-stats";
import type { Answer } from "@/test/fakes/behaviour";
import { startFakeCounterpart, type FakeCounterpart } from "@/test/fakes/fake-counterpart";

// npm run simulate -- [--rate 30] [--duration 120] [--once] [--seed N] [--hub URL]
//   [--pos-port 4101] [--oms-port 4102] [--no-fakes] [--no-outages] [--refusal-rate 0.02]
// Plays the store POS and the e-commerce OMS against a running hub: fake
// counterparts receive the hub's deliveries, scenario drivers call the hub.

const { values: args } = parseArgs({
  options: {
    hub: { type: "string", default: process.env.HUB_URL ?? "http://127.0.0.1:3000" },
    rate: { type: "string", default: "30" },
    duration: { type: "string" },
    once: { type: "boolean", default: false },
    seed: { type: "string" },
    "pos-port": { type: "string", default: "4101" },
    "oms-port": { type: "string", default: "4102" },
    "no-fakes": { type: "boolean", default: false },
    "no-outages": { type: "boolean", default: false },
    "refusal-rate": { type: "string", default: "0.02" },
    "outage-every": { type: "string", default: "120" },
  },
});

const number = (name: string, text: string | undefined, min: number) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}, got ${text}`);
  return value;
};

const seed = args.seed === undefined ? Date.now() % 2_147_483_647 : number("seed", args.seed, 0);
const rate = number("rate", args.rate, 0.1);
const durationMs = args.duration === undefined ? undefined : number("duration", args.duration, 1) * 1000;
const refusalRate = number("refusal-rate", args["refusal-rate"], 0);
const tokens = {
  hubPos: process.env.HUB_POS_TOKEN ?? "sim-hub-pos-token",
  hubOms: process.env.HUB_OMS_TOKEN ?? "sim-hub-oms-token",
  pos: process.env.POS_TOKEN ?? "sim-pos-secret",
  oms: process.env.OMS_TOKEN ?? "sim-oms-secret",
};
const stats = new SimulationStats();
const log = (line: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);

/** Success, with the odd business refusal from a seeded sequence. */
const healthy = (fake: FakeCounterpart): Answer =>
  refusalRate > 0 && !args.once
    ? {
        kind: "flaky",
        failRate: refusalRate,
        seed: seed + (fake.name === "pos" ? 1 : 2),
        fail: { kind: "refuse", msg: "通知单已作废" },
        then: { kind: "success" },
      }
    : { kind: "success" };

async function startFakes(): Promise<FakeCounterpart[]> {
  if (args["no-fakes"]) return [];
  const start = (name: "pos" | "oms", port: string, token: string) =>
    startFakeCounterpart({ name, port: Number(port), token, keepLast: 1000, onCall: (call) => stats.recordReceived(name, call) });
  const fakes = [await start("pos", args["pos-port"], tokens.pos), await start("oms", args["oms-port"], tokens.oms)];
  for (const fake of fakes) await fake.setBehaviour(healthy(fake));
  const [pos, oms] = fakes as [FakeCounterpart, FakeCounterpart];
  console.log("Fake POS and OMS are listening. Start the hub with:\n");
  console.log(
    `  OMS_BASE_URL=${oms.url} POS_BASE_URL=${pos.url} OMS_TOKEN=${tokens.oms} POS_TOKEN=${tokens.pos} ` +
      `HUB_POS_TOKEN=${tokens.hubPos} HUB_OMS_TOKEN=${tokens.hubOms} npm run dev\n`,
  );
  return fakes;
}

/** Any HTTP answer from the health page means the hub is there to talk to. */
async function waitForHub(deadline: number | undefined): Promise<boolean> {
  let lastLog = 0;
  for (;;) {
    try {
      await fetch(`${args.hub.replace(/\/+$/, "")}/api/health`, { signal: AbortSignal.timeout(2000) });
      return true;
    } catch {
      if (deadline !== undefined && Date.now() > deadline) return false;
      if (Date.now() - lastLog > 10_000) {
        log(`waiting for the hub at ${args.hub} …`);
        lastLog = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function runScenario(hub: HubClient, name: string, run: () => Promise<void>): Promise<string | null> {
  stats.scenariosStarted++;
  try {
    await run();
    stats.scenariosDone++;
    return null;
  } catch (error) {
    stats.scenariosFailed++;
    const reason = error instanceof UnexpectedAnswer ? error.message : String(error);
    if (!(error instanceof UnexpectedAnswer && error.answer.outcome === "unreachable")) log(`scenario ${name} failed: ${reason}`);
    return reason;
  }
}

const hubFor = (pauseScale: number) =>
  createHubClient({
    baseUrl: args.hub,
    posToken: tokens.hubPos,
    omsToken: tokens.hubOms,
    pauseScale,
    onAnswer: (answer, sent) => stats.recordAnswer(answer, sent),
  });

/** Waits until no fake received anything for a while: the hub has delivered what it could. */
async function settle(fakes: FakeCounterpart[], quietMs: number, maxMs: number) {
  const until = Date.now() + maxMs;
  const total = () => fakes.reduce((sum, fake) => sum + stats.deliveriesReceived(fake.name), 0);
  let last = total();
  let lastChange = Date.now();
  while (Date.now() < until && Date.now() - lastChange < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (total() !== last) [last, lastChange] = [total(), Date.now()];
  }
}

async function once(fakes: FakeCounterpart[]): Promise<number> {
  const hub = hubFor(0);
  let failed = 0;
  for (const [stream, scenario] of SCENARIOS.entries()) {
    const reason = await runScenario(hub, scenario.name, () => scenario.run(hub, createRng(seed, stream)));
    console.log(`${reason ? "✗" : "✓"} ${scenario.name}${reason ? `: ${reason}` : ""}`);
    if (reason) failed++;
  }
  if (fakes.length > 0) {
    await settle(fakes, 2000, 15_000);
    for (const fake of fakes) {
      console.log(`fake ${fake.name}: ${stats.deliveriesReceived(fake.name)} deliveries received, up to ${stats.owedTo(fake.name)} expected`);
    }
  }
  console.log(stats.summaryLine(Object.fromEntries(fakes.map((fake) => [fake.name, "up"]))));
  return failed === 0 ? 0 : 1;
}

async function live(fakes: FakeCounterpart[], deadline: number | undefined): Promise<number> {
  const hub = hubFor(1);
  const running = new Set<Promise<unknown>>();
  const outages: OutageControl | null =
    args["no-outages"] || fakes.length === 0
      ? null
      : scheduleOutages({ fakes, rng: createRng(seed, 1_000_000), healthy, everySeconds: number("outage-every", args["outage-every"], 10), log });
  const states = () => Object.fromEntries(fakes.map((fake) => [fake.name, outages?.stateOf(fake) ?? "up"]));
  let index = 0;
  const start = () => {
    // A hub that stops answering must not pile up scenarios without bound.
    if (running.size >= 500) return void stats.skipped++;
    const rng = createRng(seed, index++);
    const scenario = pickScenario(rng);
    const run = runScenario(hub, scenario.name, () => scenario.run(hub, rng)).finally(() => running.delete(run));
    running.add(run);
  };
  const ticker = setInterval(start, 60_000 / rate);
  const reporter = setInterval(() => console.log(stats.summaryLine(states())), 10_000);
  start();

  await new Promise<void>((resolve) => {
    if (deadline !== undefined) setTimeout(resolve, Math.max(0, deadline - Date.now()));
    process.once("SIGINT", () => {
      log("stopping (Ctrl-C again to quit at once) …");
      process.once("SIGINT", () => process.exit(130));
      resolve();
    });
  });
  clearInterval(ticker);
  await outages?.stop();
  // Scenarios under way finish their story; the hub gets a moment to deliver the last messages.
  await Promise.race([Promise.allSettled(running), new Promise((resolve) => setTimeout(resolve, 20_000))]);
  if (fakes.length > 0) await settle(fakes, 2000, 10_000);
  clearInterval(reporter);
  console.log(stats.summaryLine(states()));
  return 0;
}

async function main() {
  assertLoopback(args.hub);
  console.log(`simulate: seed ${seed} (replay with --seed ${seed}), hub ${args.hub}`);
  const fakes = await startFakes();
  const deadline = durationMs === undefined ? undefined : Date.now() + durationMs;
  if (!(await waitForHub(deadline ?? (args.once ? Date.now() + 60_000 : undefined)))) {
    console.error(`The hub at ${args.hub} did not answer.`);
    return 2;
  }
  log(args.once ? "hub is up: running each scenario once" : `hub is up: ${rate} scenarios/minute${durationMs ? ` for ${durationMs / 1000} s` : " until Ctrl-C"}`);
  const code = args.once ? await once(fakes) : await live(fakes, deadline);
  await Promise.all(fakes.map((fake) => fake.close()));
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
