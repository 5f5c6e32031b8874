import { burstTest } from "@/test/partner/overload-burst";

// Overload is answered, never dropped (issue 13), on the embedded database: one connection, one call at a time.
burstTest({ embedded: true });
