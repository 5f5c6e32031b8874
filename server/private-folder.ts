import fs from "node:fs";
import path from "node:path";

/**
 * The embedded database's folder is private to the hub's user (SPEC §9):
 * created 0700; an existing one that its group or others can read is made
 * 0700, with every file in it 0600 and every folder 0700. Returns what it
 * changed (paths relative to `dir`), for the log.
 *
 * @throws Error naming the folder and the fix, when it belongs to another user
 * (its mode cannot be changed by us, and the data would not be ours).
 */
export function makeFolderPrivate(dir: string): string[] {
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true, mode: 0o700 });
  const own = fs.statSync(absolute);
  if (typeof process.getuid === "function" && own.uid !== process.getuid()) {
    throw new Error(
      `DATA_DIR ${absolute} belongs to user ${own.uid}, not to the hub's user ${process.getuid()}: chown it, or point DATA_DIR at a folder of the hub's own`,
    );
  }
  const changed: string[] = [];
  const tighten = (file: string, stat: fs.Stats) => {
    if ((stat.mode & 0o077) !== 0) {
      // The owner's bits stay (rw- for files, rwx for folders); group and others lose theirs.
      fs.chmodSync(file, stat.mode & 0o700);
      changed.push(path.relative(absolute, file) || ".");
    }
  };
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.isSymbolicLink()) continue;
      const file = path.join(folder, entry.name);
      tighten(file, fs.lstatSync(file));
      if (entry.isDirectory()) walk(file);
    }
  };
  tighten(absolute, own);
  walk(absolute);
  return changed;
}
