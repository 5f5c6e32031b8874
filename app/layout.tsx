import type { ReactNode } from "react";
import "./globals.css";

export const metadata = { title: "发货通知单中台 · Dispatch hub" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
