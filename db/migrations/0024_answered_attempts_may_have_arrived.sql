-- A void collapses a creation only when no attempt of it may have reached the other side
-- (server/delivery/may-have-arrived.ts). Attempts recorded before that rule marked every non-200
-- answer (a 500, a gateway's 502 / 504, a 4xx) as "never arrived"; any HTTP answer may come after
-- the other side stored the body. Only deliveries still open can be collapsed by a void, so only
-- their attempts are corrected (found by delivery_attempts_by_delivery).
UPDATE "delivery_attempts" AS a SET "may_have_arrived" = true
FROM "deliveries" AS d
WHERE a."delivery_id" = d."id"
  AND d."state" IN ('pending', 'rejected', 'timed_out')
  AND a."http_status" IS NOT NULL
  AND NOT a."may_have_arrived";
