export default function Home() {
  return (
    <main className="mx-auto max-w-2xl p-10">
      <h1 className="text-2xl font-semibold">发货通知单中台 · Dispatch hub</h1>
      <p className="mt-4 text-slate-600">
        Partner API contract: <a className="text-blue-700 underline" href="/api/openapi.json">/api/openapi.json</a>
      </p>
    </main>
  );
}
