import { createHash } from "node:crypto";
import type { HubAnswer, Outcome } from "@/scripts/lib/hub-client";
import type { ReceivedCall } from "@/test/fakes/fake-counterpart";

// Counters for the simulator's running summary: what the hub answered, and
// what each fake counterpart received from the hub's delivery worker.

type FakeCounts = { calls: number; deliveries: Set<string>; answered: Map<string, number> };

export class SimulationStats {
  readonly startedAt = Date.now();
  scenariosStarted = 0;
  scenariosDone = 0;
  scenariosFailed = 0;
  skipped = 0;
  private readonly answers = new Map<Outcome, number>();
  private readonly fakes = new Map<string, FakeCounts>();
  /** Distinct accepted calls per target side: what the hub owes each fake (at most; cancelled pairs owe nothing). */
  private readonly owed = new Map<string, Set<string>>();

  recordAnswer(answer: HubAnswer, body: string) {
    this.answers.set(answer.outcome, (this.answers.get(answer.outcome) ?? 0) + 1);
    if (answer.outcome !== "accepted") return;
    const target = answer.path.startsWith("/pos/") ? "oms" : "pos";
    const owed = this.owed.get(target) ?? new Set<string>();
    // A repeat of an accepted call is answered again but delivered once.
    owed.add(createHash("sha1").update(`${answer.path} ${body}`).digest("base64"));
    this.owed.set(target, owed);
  }

  recordReceived(fake: string, call: ReceivedCall) {
    const counts = this.fakes.get(fake) ?? { calls: 0, deliveries: new Set<string>(), answered: new Map<string, number>() };
    counts.calls++;
    if (call.deliveryId) counts.deliveries.add(call.deliveryId);
    const answered = call.answer.split(" ")[0] ?? call.answer;
    counts.answered.set(answered, (counts.answered.get(answered) ?? 0) + 1);
    this.fakes.set(fake, counts);
  }

  deliveriesReceived(fake: string) {
    return this.fakes.get(fake)?.deliveries.size ?? 0;
  }

  owedTo(fake: string) {
    return this.owed.get(fake)?.size ?? 0;
  }

  summaryLine(fakeStates: Record<string, string>): string {
    const seconds = Math.round((Date.now() - this.startedAt) / 1000);
    const clock = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    const inFlight = this.scenariosStarted - this.scenariosDone - this.scenariosFailed;
    const scenarios = `scenarios ${this.scenariosDone} done, ${this.scenariosFailed} failed, ${inFlight} running${this.skipped ? `, ${this.skipped} skipped` : ""}`;
    const answers = [...this.answers].map(([outcome, count]) => `${outcome} ${count}`).join(" ") || "none";
    const fakes = Object.entries(fakeStates)
      .map(([name, state]) => {
        const counts = this.fakes.get(name);
        if (!counts) return `${name}: 0 received (${state})`;
        const answered = [...counts.answered].map(([kind, count]) => `${kind} ${count}`).join(" ");
        return `${name}: ${counts.calls} received, ${counts.deliveries.size} deliveries [${answered}] (${state})`;
      })
      .join(" | ");
    return `[${clock}] ${scenarios} | hub answered: ${answers} | ${fakes}`;
  }
}
