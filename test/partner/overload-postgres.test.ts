import { describeWithPostgres } from "@/test/postgres-server";
import { burstTest } from "@/test/partner/overload-burst";

// Overload is answered, never dropped (issue 13), on PostgreSQL: as many calls at once as the pool has connections.
describeWithPostgres("a burst far above capacity on PostgreSQL", () => burstTest({ server: true }));
