import { expect, test } from "vitest";
import { landingPathFor } from "@/lib/landing-page";

test("ops land on Problems, customer service on the search", () => {
  expect(landingPathFor("operator")).toBe("/problems");
  expect(landingPathFor("admin")).toBe("/problems");
  expect(landingPathFor("viewer")).toBe("/search");
  expect(landingPathFor(undefined)).toBe("/search");
});
