import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * `next build` as CI runs it (issue 10, SPEC §9 "next build opens no database
 * and prints no secret"): with no DATABASE_URL (the embedded database's case),
 * DATA_DIR a folder that does not exist, and no AUTH_SECRET or admin given.
 * The build must succeed, create no DATA_DIR (so no embedded database, no
 * secret file) and print no generated password.
 *
 * @throws Error saying which of these failed; the build's own output is passed through.
 */
export function buildWithoutSideEffects(root: string, distDir: string): void {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "hub-build-"));
  const dataDir = path.join(scratch, "data-must-not-exist");
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: "1",
      DATA_DIR: dataDir,
      // Types were checked over the whole tree before (npm test, .ci/run): see next.config.mjs.
      HUB_BUILD_SKIP_TYPECHECK: "1",
    };
    // No DATABASE_URL: the newcomer's embedded database, the case where opening a
    // database at build time would leave a DATA_DIR (and an admin) behind.
    for (const name of ["DATABASE_URL", "AUTH_SECRET", "ADMIN_EMAIL", "ADMIN_PASSWORD"]) delete env[name];
    const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      cwd: root,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    process.stdout.write(build.stdout ?? "");
    process.stderr.write(build.stderr ?? "");
    if (build.status !== 0) throw new Error(`next build failed (exit ${build.status})`);
    const output = `${build.stdout}\n${build.stderr}`;
    if (existsSync(dataDir)) throw new Error(`next build created DATA_DIR (${dataDir}): a build must open no database and write no secret`);
    if (/First admin created|password:/i.test(output)) throw new Error("next build printed a first admin's password: the build must create no admin");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
