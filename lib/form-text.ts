/**
 * The text of one form field: "" when the field is missing or is a file (a
 * sign-in or password form has only text fields; a file there is a forged post).
 */
export function formText(form: FormData | null | undefined, name: string): string {
  const value = form?.get(name);
  return typeof value === "string" ? value : "";
}
