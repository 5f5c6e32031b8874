/** 13812341234 → 138****1234: enough for customer service to match a caller, not enough to copy out. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length <= 4) return "*".repeat(phone.length);
  const head = phone.length >= 11 ? phone.slice(0, 3) : "";
  return `${head}${"*".repeat(phone.length - head.length - 4)}${phone.slice(-4)}`;
}
