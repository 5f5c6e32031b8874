import type { Rng } from "@/scripts/lib/random";
import type { Answer } from "@/test/fakes/behaviour";
import type { FakeCounterpart } from "@/test/fakes/fake-counterpart";

// Bad days for the counterparts, so the hub's retries and the dashboard's
// problem queues have something to show: now and then one fake goes down or
// answers 500 for 20–60 s, then recovers.

export type OutagePlan = {
  fakes: readonly FakeCounterpart[];
  rng: Rng;
  /** What a healthy fake answers (success, with the odd business refusal). */
  healthy: (fake: FakeCounterpart) => Answer;
  /** Mean seconds between two outages. */
  everySeconds: number;
  log: (line: string) => void;
};

export type OutageControl = { stateOf(fake: FakeCounterpart): string; stop(): Promise<void> };

export function scheduleOutages(plan: OutagePlan): OutageControl {
  const states = new Map<FakeCounterpart, string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const recover = async (fake: FakeCounterpart) => {
    await fake.setBehaviour(plan.healthy(fake));
    states.delete(fake);
  };

  function next() {
    const waitMs = plan.rng.int(plan.everySeconds * 500, plan.everySeconds * 1500);
    timer = setTimeout(() => void begin(), waitMs);
  }

  async function begin() {
    if (stopped) return;
    const fake = plan.rng.pick(plan.fakes);
    const seconds = plan.rng.int(20, 60);
    const down = plan.rng.chance(0.5);
    states.set(fake, down ? `DOWN ${seconds}s` : `HTTP 500 ${seconds}s`);
    plan.log(`outage: fake ${fake.name} ${down ? "stops listening" : "answers 500"} for ${seconds} s`);
    await fake.setBehaviour(down ? { kind: "down" } : { kind: "status", status: 500, body: "Internal Server Error" });
    timer = setTimeout(() => {
      if (stopped) return;
      void recover(fake).then(() => {
        plan.log(`outage over: fake ${fake.name} answers again`);
        next();
      });
    }, seconds * 1000);
  }

  next();
  return {
    stateOf: (fake) => states.get(fake) ?? "up",
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all([...states.keys()].map(recover));
    },
  };
}
