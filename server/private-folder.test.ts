import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { openDatabase } from "@/db/client";
import { parseConfig } from "@/server/config";
import { makeFolderPrivate } from "@/server/private-folder";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "hub-private-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Every mode under `dir` (itself included), as octal text, counted. */
function modesUnder(dir: string): Record<string, number> {
  const modes: Record<string, number> = {};
  const note = (file: string) => {
    const mode = (fs.statSync(file).mode & 0o777).toString(8);
    modes[mode] = (modes[mode] ?? 0) + 1;
  };
  note(dir);
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      note(path.join(folder, entry.name));
      if (entry.isDirectory()) walk(path.join(folder, entry.name));
    }
  };
  walk(dir);
  return modes;
}

test("the embedded database's folder is created 0700 with its files 0600", { timeout: 180_000 }, async () => {
  const dataDir = path.join(root, "new", "data");
  const hub = await openDatabase(parseConfig({ DATA_DIR: dataDir }));
  await hub.close();
  const modes = modesUnder(dataDir);
  expect(Object.keys(modes).sort()).toEqual(["600", "700"]);
  expect(modes["600"]).toBeGreaterThan(10);
});

test("a folder others can read is made private at start, files and folders in it too", () => {
  const dataDir = path.join(root, "open");
  fs.mkdirSync(path.join(dataDir, "base"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "base", "1"), "x");
  fs.chmodSync(path.join(dataDir, "base", "1"), 0o666);
  fs.chmodSync(path.join(dataDir, "base"), 0o777);
  fs.chmodSync(dataDir, 0o755);
  expect(makeFolderPrivate(dataDir).sort()).toEqual([".", "base", path.join("base", "1")]);
  expect(modesUnder(dataDir)).toEqual({ "700": 2, "600": 1 });
  expect(makeFolderPrivate(dataDir)).toEqual([]);
});
