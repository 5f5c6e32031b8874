import madge from "madge";
import { beforeAll, expect, test } from "vitest";

// README "Code map": the order the code depends in, checked on every import of
// the app's own code (server/, db/, lib/, trpc/, components/, app/, auth.ts;
// tests are left out). Type-only imports count too: a circle of types is still a
// circle a reader has to hold in their head.
//
// A unit is a folder of server/ or components/ (server/delivery, components/notice),
// a module at server/'s top of its own (server/config.ts, server/http-main.ts: the
// shared base and the process's entry points sit side by side there), and any
// other top folder as a whole (lib, db, trpc, app).

/**
 * The layers, bottom first. A unit imports units of its own layer or below,
 * never above; folders of server/ on one layer never import each other (what
 * two of them share goes a layer down). Every unit is listed: a new folder or
 * top module takes its place here and in README's code map.
 */
const LAYERS: { name: string; units: string[] }[] = [
  { name: "plain data and pure rules, shared with the pages", units: ["lib"] },
  {
    name: "the base every server module may use, and the message contract",
    units: [
      "server/errors.ts",
      "server/ids.ts",
      "server/config.ts",
      "server/describe-error.ts",
      "server/log.ts",
      "server/console-to-log.ts",
      "server/metrics.ts",
      "server/private-folder.ts",
      "server/client-address.ts",
      "server/input-guard.ts",
      "server/content-security-policy.ts",
      "server/shutdown.ts",
      "server/contract",
    ],
  },
  { name: "the database: schema, client, session secret", units: ["db"] },
  {
    name: "rules with tables of their own",
    units: [
      "server/problems",
      "server/settings",
      "server/users",
      "server/live",
      "server/maintenance",
      "server/secret-box.ts",
      "server/metrics-database.ts",
    ],
  },
  { name: "notices and their outbox, each without the other", units: ["server/notices", "server/delivery"] },
  { name: "the void and the alerts", units: ["server/void", "server/alerts"] },
  { name: "the partner routes and the dashboard's reads", units: ["server/partner", "server/dashboard"] },
  {
    name: "tRPC, the HTTP server, the process's background work, sign-in",
    units: ["server/api", "server/http-server.ts", "server/http-main.ts", "server/start-background-work.ts", "server/metrics-endpoint.ts", "server/health.ts", "auth.ts"],
  },
  { name: "the browser's side", units: ["trpc", "components"] },
  { name: "Next.js routes and pages", units: ["app"] },
];

/** The unit a file (relative to the repository) belongs to; see the top of this file. */
function unitOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "server") return parts.length > 2 ? `server/${parts[1]}` : file;
  if (parts[0] === "components" && parts.length > 2) return `components/${parts[1]}`;
  return parts[0]!;
}

/** A unit's layer; components/<folder> is listed as "components". */
function layerOf(unit: string): number {
  const listed = unit.startsWith("components/") ? "components" : unit;
  return LAYERS.findIndex((layer) => layer.units.includes(listed));
}

/** Every circle among `units`, as its members (Tarjan's strongly connected components of two or more). */
function circlesAmong(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (unit: string) => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit)!);
    stack.push(unit);
    for (const next of edges.get(unit) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(unit, Math.min(low.get(unit)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(unit, Math.min(low.get(unit)!, index.get(next)!));
    }
    if (low.get(unit) === index.get(unit)) {
      const members: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        members.push(member);
      } while (member !== unit);
      if (members.length > 1) circles.push(members.sort());
    }
  };
  for (const unit of edges.keys()) if (!index.has(unit)) visit(unit);
  return circles;
}

let graph: Record<string, string[]>;
let fileCycles: string[][];
/** Unit → units it imports, and the file imports behind each such edge ("a → b" keys). */
const unitEdges = new Map<string, Set<string>>();
const because = new Map<string, string[]>();

/** Where the app's own code is; madge also walks what the (excluded) test files import, left out below. */
const ROOTS = ["server", "db", "lib", "trpc", "components", "app", "auth.ts"];

beforeAll(async () => {
  const result = await madge(ROOTS, {
    tsConfig: "tsconfig.json",
    fileExtensions: ["ts", "tsx"],
    excludeRegExp: [/\.test\.tsx?$/],
  });
  graph = Object.fromEntries(Object.entries(result.obj()).filter(([file]) => ROOTS.includes(file.split("/")[0]!)));
  fileCycles = result.circular();
  for (const [from, imports] of Object.entries(graph)) {
    unitEdges.set(unitOf(from), unitEdges.get(unitOf(from)) ?? new Set());
    for (const to of imports) {
      const [a, b] = [unitOf(from), unitOf(to)];
      if (a === b) continue;
      unitEdges.get(a)!.add(b);
      because.set(`${a} → ${b}`, [...(because.get(`${a} → ${b}`) ?? []), `${from} → ${to}`]);
    }
  }
}, 180_000);

test("the dependency graph covers every unit and resolves the @/ imports", () => {
  expect(graph["server/partner/accept-call.ts"]).toContain("server/contract/endpoints.ts");
  expect(graph["app/api/trpc/[trpc]/route.ts"]?.length).toBeGreaterThan(0);
  for (const unit of ["lib", "db", "trpc", "components/notice", "app", "auth.ts", "server/config.ts"]) expect(unitEdges.has(unit)).toBe(true);
});

test("no module imports itself back through others", () => {
  expect(fileCycles).toEqual([]);
});

test("no unit imports itself back through others (no folder-level circle)", () => {
  const described = circlesAmong(unitEdges).map((members) => ({
    circle: members,
    imports: [...because].filter(([edge]) => members.some((a) => members.some((b) => edge === `${a} → ${b}`))).flatMap(([, files]) => files),
  }));
  expect(described).toEqual([]);
});

test("every unit, and every unit imported, has its place in the layers (README code map)", () => {
  const units = new Set([...unitEdges.keys(), ...[...unitEdges.values()].flatMap((imports) => [...imports])]);
  expect([...units].filter((unit) => layerOf(unit) < 0)).toEqual([]);
});

test("no unit imports one on a layer above it; folders of server/ on one layer do not import each other", () => {
  const wrong = [...because].flatMap(([edge, files]) => {
    const [from, to] = edge.split(" → ") as [string, string];
    const above = layerOf(to) > layerOf(from);
    const sibling = layerOf(to) === layerOf(from) && /^server\/[^/.]+$/.test(from) && /^server\/[^/.]+$/.test(to);
    return above || sibling ? files : [];
  });
  expect(wrong).toEqual([]);
});

test("the circle finder finds a circle of three and nothing in a chain", () => {
  const edges = (pairs: [string, string][]) => {
    const map = new Map<string, Set<string>>();
    for (const [a, b] of pairs) map.set(a, (map.get(a) ?? new Set()).add(b)).set(b, map.get(b) ?? new Set());
    return map;
  };
  expect(circlesAmong(edges([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]]))).toEqual([["a", "b", "c"]]);
  expect(circlesAmong(edges([["a", "b"], ["b", "c"]]))).toEqual([]);
});
