import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deliveries, deliveryAttempts } from "@/db/schema/deliveries";
import type { ClaimedDelivery } from "@/server/delivery/claim-deliveries";
import { DELIVERY_CHANNEL } from "@/server/delivery/enqueue-delivery";
import { classifyAttempt, nextStep, type AttemptResult, type NextStep, type Verdict } from "@/server/delivery/retry-policy";
import { RESPONSE_BODY_LOG_LIMIT } from "@/server/delivery/send-delivery";
import { attemptMayHaveArrived } from "@/server/delivery/may-have-arrived";
import { freshDeadline, releaseFollowersStatement } from "@/server/delivery/release-followers";
import { rowsOf } from "@/db/rows";
import { preparedInTransaction } from "@/db/prepared-in-transaction";
import { applyProblemChanges, type DeliveryProblemChange } from "@/server/problems/apply-problems";
import { joinsProblem, problemKeyOf } from "@/server/problems/problem-rules";

export type FinishedAttempt = {
  delivery: ClaimedDelivery;
  url: string;
  startedAt: Date;
  durationMs: number;
  result: AttemptResult;
  worker: string;
  /**
   * Where a refusal by the other side takes the delivery instead of "rejected"
   * (which waits for a person); the void relay's rule (server/void/relay-void.ts).
   */
  onRefusal?: NextStep;
};

export type AttemptOutcome = { step: NextStep; verdict: Verdict };

function decide(attempt: FinishedAttempt, now: Date): AttemptOutcome {
  const verdict = classifyAttempt(attempt.result, now.getTime());
  const decided = nextStep({ verdict, attemptNo: attempt.delivery.attempts, deadlineAt: attempt.delivery.deadlineAt, now });
  const step: NextStep = decided.state === "rejected" && attempt.onRefusal ? attempt.onRefusal : decided;
  return { step, verdict };
}

/**
 * One column of a batch as one array parameter, sent as text[] and cast in SQL:
 * drizzle would spread a bare array into a list of parameters, postgres.js types
 * an array by its first element (a boolean[] would go as one boolean), and
 * drizzle's postgres.js client passes timestamptz[] through unserialised.
 */
const column = (name: string, type: string) => sql`${sql.placeholder(name)}::text[]::${sql.raw(type)}[]`;

/** A column's values as the text[] `column` reads. */
const asText = (values: (string | number | boolean | null)[]) => values.map((value) => (value === null ? null : String(value)));

/**
 * The statement of `finishAttempts`, built once (db/prepared-in-transaction.ts;
 * issue 13): it runs for every message. Its text is the same for any number of
 * attempts: one array per column (its placeholder's name), `unnest`ed.
 */
const recordAttempts = preparedInTransaction("finish_attempts", (db) =>
  db.execute(sql`
    with outcome (id, attempts, state, next_attempt_at, last_status, last_error, answer_msg, deadline_at) as (
      select * from unnest(${column("ids", "bigint")}, ${column("attemptNos", "int")}, ${column("states", "delivery_state")},
        ${column("nextAttemptAts", "timestamptz")}, ${column("statuses", "int")}, ${column("lastErrors", "text")}, ${column("answerMsgs", "text")},
        ${column("deadlineAts", "timestamptz")})
    ),
    attempt as (
      insert into ${deliveryAttempts} (delivery_id, attempt_no, payload_version, url, started_at, duration_ms,
        http_status, response_body, error, outcome, may_have_arrived, worker)
      select * from unnest(${column("ids", "bigint")}, ${column("attemptNos", "int")}, ${column("payloadVersions", "int")}, ${column("urls", "text")},
        ${column("startedAts", "timestamptz")}, ${column("durations", "int")}, ${column("statuses", "int")}, ${column("bodies", "text")},
        ${column("errors", "text")}, ${column("attemptOutcomes", "attempt_outcome")}, ${column("mayHaveArrived", "boolean")}, ${column("workers", "text")})
    ),
    -- The batch's deliveries locked in id order, before any is updated: a person's action on a
    -- selection locks in id order too (manual-actions.ts), and locking the batch in its own order
    -- let the two wait on each other (deadlock detected, 40P01, seen by the retry-storm test).
    locked as (
      select id from ${deliveries} where id = any(${column("ids", "bigint")}) order by id for update
    ),
    moved as (
      update ${deliveries} as d set
        state = o.state,
        lease_until = null,
        last_status = o.last_status,
        last_error = o.last_error,
        answer_msg = o.answer_msg,
        next_attempt_at = coalesce(o.next_attempt_at, d.next_attempt_at),
        finished_at = case when o.state = 'pending' then d.finished_at else ${sql.placeholder("now")}::timestamptz end
      from outcome as o join locked on locked.id = o.id
      where d.id = o.id and d.state = 'pending' and d.attempts = o.attempts
        -- The window the outcome was judged by (the claimed deadline; to the millisecond a JS Date keeps):
        -- a later one is a person's retry now or edit and resend during the attempt, which stands — unless
        -- the attempt got through: the other side has the message, and sending it again would only repeat it.
        and (o.state = 'delivered' or d.deadline_at < o.deadline_at + interval '1 millisecond')
      returning d.id, d.order_key, o.state
    ),
    -- Followers of a head that went out or was closed get their retry window from now (release-followers.ts).
    released as (
      ${releaseFollowersStatement(sql`select id, order_key from moved where state in ('delivered', 'resolved')`, sql`${sql.placeholder("releasedUntil")}::timestamptz`)}
    ),
    notified as (
      select pg_notify(${DELIVERY_CHANNEL}, '') where exists (
        select 1 from moved as m join ${deliveries} as follower
          on follower.order_key = m.order_key and follower.id > m.id and follower.state = 'pending'
        where m.state in ('delivered', 'resolved')
      )
    )
    select m.id from moved as m left join notified on true`),
);

/**
 * Records attempts and moves their deliveries on, all in one statement: this
 * runs for every message, so it is the worker's hot path, and attempts that
 * finish together are written together. The statement's text is the same for
 * any number of attempts (recordAttempts), so it is built once, and each
 * connection prepares and plans it once.
 * A person may have resolved, cancelled, retried or edited and resent a
 * delivery while its attempt was in flight: the attempt is kept in the
 * history, but the person's decision stands (the update matches only a pending
 * delivery still on the attempt and the retry window that were claimed) —
 * except that an attempt that got through is recorded as delivered. When a delivery went out (or was closed) and later ones of its
 * notice wait, they get a fresh retry window (release-followers.ts) and
 * NOTIFY tells other processes.
 */
export async function finishAttempts(db: Db, attempts: FinishedAttempt[], now = new Date()): Promise<AttemptOutcome[]> {
  if (attempts.length === 0) return [];
  const outcomes = attempts.map((attempt) => decide(attempt, now));
  const ids: number[] = [];
  const attemptNos: number[] = [];
  const states: string[] = [];
  const nextAttemptAts: (string | null)[] = [];
  const statuses: (number | null)[] = [];
  const lastErrors: (string | null)[] = [];
  const answerMsgs: (string | null)[] = [];
  const deadlineAts: string[] = [];
  const payloadVersions: number[] = [];
  const urls: string[] = [];
  const startedAts: string[] = [];
  const durations: number[] = [];
  const bodies: (string | null)[] = [];
  const errors: (string | null)[] = [];
  const attemptOutcomes: string[] = [];
  const mayHaveArrived: boolean[] = [];
  const workers: string[] = [];
  attempts.forEach(({ delivery, result, ...attempt }, index) => {
    const { step, verdict } = outcomes[index]!;
    ids.push(delivery.id);
    attemptNos.push(delivery.attempts);
    states.push(step.state);
    nextAttemptAts.push(step.state === "pending" ? step.nextAttemptAt.toISOString() : null);
    statuses.push(result.kind === "answered" ? result.status : null);
    lastErrors.push(step.state === "pending" || step.state === "timed_out" ? step.reason : null);
    answerMsgs.push(verdict.outcome === "rejected" ? verdict.msg : null);
    deadlineAts.push(delivery.deadlineAt.toISOString());
    payloadVersions.push(delivery.payloadVersion);
    urls.push(attempt.url);
    startedAts.push(attempt.startedAt.toISOString());
    durations.push(attempt.durationMs);
    bodies.push(result.kind === "answered" ? result.bodyText.slice(0, RESPONSE_BODY_LOG_LIMIT) : null);
    errors.push(verdict.outcome === "failed" ? verdict.reason : null);
    attemptOutcomes.push(verdict.outcome);
    mayHaveArrived.push(attemptMayHaveArrived(result));
    workers.push(attempt.worker);
  });

  const columns = { ids, attemptNos, states, nextAttemptAts, statuses, lastErrors, answerMsgs, deadlineAts, payloadVersions, urls, startedAts, durations, bodies, errors, attemptOutcomes, mayHaveArrived, workers };
  const values = { ...Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, asText(column)])), now, releasedUntil: freshDeadline(now) };

  const problemChanges = problemChangesOf(attempts, outcomes);
  if (problemChanges.length === 0) {
    // The healthy path: one statement, no transaction.
    await recordAttempts.run(db, values);
    return outcomes;
  }
  // Deliveries failing, or leaving a problem: the problem follows in the same transaction.
  await db.transaction(async (tx) => {
    const moved = new Set(rowsOf<{ id: number | string }>(await recordAttempts.run(tx, values)).map((row) => Number(row.id)));
    await applyProblemChanges(
      tx,
      problemChanges.filter((change) => moved.has(change.deliveryId)),
      now,
    );
  });
  return outcomes;
}

/** The problem side of each attempt: a failure that puts its delivery in a problem, or a delivery leaving one. */
function problemChangesOf(attempts: FinishedAttempt[], outcomes: AttemptOutcome[]): DeliveryProblemChange[] {
  return attempts.flatMap(({ delivery, result }, index): DeliveryProblemChange[] => {
    const { step, verdict } = outcomes[index]!;
    const change = { deliveryId: delivery.id, problemIdBefore: delivery.problemId ?? null };
    if (step.state === "delivered" || step.state === "resolved" || verdict.outcome === "delivered") return change.problemIdBefore === null ? [] : [change];
    if (!joinsProblem({ stateAfter: step.state, attemptNo: delivery.attempts })) return change.problemIdBefore === null ? [] : [change];
    const failure = {
      outcome: verdict.outcome,
      httpStatus: result.kind === "answered" ? result.status : null,
      error: verdict.outcome === "failed" ? verdict.reason : null,
      msg: verdict.outcome === "rejected" ? verdict.msg : null,
    };
    const error = verdict.outcome === "rejected" ? verdict.msg : verdict.reason;
    return [{ ...change, failure: { key: problemKeyOf(delivery, failure), error } }];
  });
}

export async function finishAttempt(db: Db, attempt: FinishedAttempt): Promise<AttemptOutcome> {
  const [outcome] = await finishAttempts(db, [attempt]);
  return outcome!;
}

/**
 * Group commit for a worker: attempts that finish while a write is under way
 * are written together by the next one, so under load one statement records
 * many attempts, and when idle an attempt is written at once. `now` judges each
 * batch (retry times, deadlines).
 */
export function createAttemptRecorder(db: Db, maxBatch = 64, now: () => Date = () => new Date()) {
  const queue: { attempt: FinishedAttempt; settle: (outcome: Promise<AttemptOutcome>) => void }[] = [];
  let writing = false;

  async function drain() {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      const written = finishAttempts(
        db,
        batch.map((entry) => entry.attempt),
        now(),
      );
      batch.forEach((entry, index) => entry.settle(written.then((outcomes) => outcomes[index]!)));
      await written.catch(() => {});
    }
    writing = false;
  }

  return (attempt: FinishedAttempt): Promise<AttemptOutcome> =>
    new Promise((resolve, reject) => {
      queue.push({ attempt, settle: (outcome) => void outcome.then(resolve, reject) });
      if (!writing) void drain();
    });
}
