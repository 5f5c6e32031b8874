import { redirect } from "next/navigation";
import { landingPathFor } from "@/lib/landing-page";
import { getCurrentUser } from "@/trpc/server";

// Home sends ops to Problems and customer service to the search; the dashboard sends anyone not signed in to /sign-in.
export default async function Home() {
  const user = await getCurrentUser();
  redirect(landingPathFor(user?.role));
}
