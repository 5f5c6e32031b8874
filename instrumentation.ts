// Next.js calls register() once when a server process starts. Background work
// (the delivery worker) starts here without holding up the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundWork } = await import("./server/start-background-work");
  void startBackgroundWork();
}
