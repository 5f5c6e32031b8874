import { expect, test } from "vitest";
import { setConfigForTests } from "@/server/config";
import { authenticatePartner, bootstrapDigests, createPartnerToken } from "@/server/partner/authenticate";
import { useTestDatabase } from "@/test/database";

// The bootstrap tokens (HUB_POS_TOKEN / HUB_OMS_TOKEN) are hashed once per configuration, not per call.

const database = useTestDatabase();
const bearer = (token: string) => `Bearer ${token}`;

test("a bootstrap token is accepted for its side, a wrong one refused (401) while no stored token matches it", async () => {
  setConfigForTests({ HUB_POS_TOKEN: "pos-bootstrap-1", HUB_OMS_TOKEN: "oms-bootstrap-1" });
  expect(await authenticatePartner(database.db, bearer("pos-bootstrap-1"), "pos")).toEqual({ side: "pos", label: "HUB_POS_TOKEN", shopCodes: null });
  expect(await authenticatePartner(database.db, bearer("oms-bootstrap-1"), "oms")).toEqual({ side: "oms", label: "HUB_OMS_TOKEN", shopCodes: null });
  await expect(authenticatePartner(database.db, bearer("pos-bootstrap-2"), "pos")).rejects.toMatchObject({ status: 401 });
  await expect(authenticatePartner(database.db, bearer("oms-bootstrap-1"), "pos")).rejects.toMatchObject({ status: 403 });
  // A stored token still answers after the bootstrap digests missed.
  const stored = await createPartnerToken(database.db, { side: "pos", label: "till 3", createdBy: "test" });
  expect((await authenticatePartner(database.db, bearer(stored.token), "pos")).label).toBe(`token#${stored.id} till 3`);
});

test("the digests are made once per configuration and follow a new one", async () => {
  setConfigForTests({ HUB_POS_TOKEN: "pos-bootstrap-1", HUB_OMS_TOKEN: undefined });
  const first = bootstrapDigests();
  expect(first.map((digest) => digest.label)).toEqual(["HUB_POS_TOKEN"]);
  await authenticatePartner(database.db, bearer("pos-bootstrap-1"), "pos");
  expect(bootstrapDigests()).toBe(first);

  setConfigForTests({ HUB_POS_TOKEN: "pos-bootstrap-2" });
  expect(bootstrapDigests()).not.toBe(first);
  expect((await authenticatePartner(database.db, bearer("pos-bootstrap-2"), "pos")).label).toBe("HUB_POS_TOKEN");
  await expect(authenticatePartner(database.db, bearer("pos-bootstrap-1"), "pos")).rejects.toMatchObject({ status: 401 });
});
