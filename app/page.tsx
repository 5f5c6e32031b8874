import { redirect } from "next/navigation";

// Home is the search; the dashboard sends anyone not signed in to /sign-in.
export default function Home() {
  redirect("/search");
}
