// Next.js calls register() once when a server process starts. Background work
// (the delivery worker) starts here without holding up the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` loads this file too: a build validates nothing and starts nothing.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  // A bad value stops the start here, naming the variable, before any call is taken.
  const { loadConfigOrExit } = await import("./server/config");
  loadConfigOrExit();
  const { startBackgroundWork } = await import("./server/start-background-work");
  void startBackgroundWork();
}
