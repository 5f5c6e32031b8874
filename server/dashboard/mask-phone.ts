/**
 * Phone masking for viewers (customer service), SPEC §10: "masked for viewers
 * everywhere they appear (lists, notice page, raw bodies)". Operators and
 * admins see full values. Applied on the server to everything a viewer's
 * procedure returns (server/api/trpc.ts, `maskForViewer`), so a page cannot
 * forget it.
 */

/** 13812341234 → 138****1234: enough for customer service to match a caller, not enough to copy out. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length <= 4) return "*".repeat(phone.length);
  const head = phone.length >= 11 ? phone.slice(0, 3) : "";
  return `${head}${"*".repeat(phone.length - head.length - 4)}${phone.slice(-4)}`;
}

/** A key that holds a phone: phone, receiverPhone, mobile, contactMobile, tel, telephone (any case). */
export const PHONE_KEY = /^(?:[a-z_]*(?:phone|mobile)[a-z_]*|tel)$/i;

// A mainland mobile number anywhere in text, however written: 13812341234,
// 138-1234-1234, 138 1234 1234, +86 138…; not inside a longer code (a waybill
// SF13812341234 or a 12-digit number stays as it is).
const MOBILE = /(?<![\w+])(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d){8}(?![\w])/g;
// "phone": "0571-8888 6666" in JSON text, also when the body was cut or is not JSON.
const PHONE_FIELD = /("([a-z_]*(?:phone|mobile)[a-z_]*|tel)"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;

// A body cut for a list preview (server/dashboard/list-exchanges.ts, fields
// named `…Preview`) can end inside a phone: an open phone value with no closing
// quote, or the first digits of a mobile. Neither pattern above sees a whole
// phone there, so the cut tail is masked whole: a viewer learns nothing from a
// partial number. Only cut texts get this: "DN-BIG-199" ends in digits too.
const CUT_PHONE_FIELD = /("(?:[a-z_]*(?:phone|mobile)[a-z_]*|tel)"\s*:\s*")((?:[^"\\]|\\.)*)$/i;
const CUT_MOBILE = /(?<![\w+])(?:\+?8(?:6[-\s]?)?)?(?:1(?:[3-9](?:[-\s]?\d){0,8})?)$/;

/** Masks every phone in a text: JSON values under a phone key, and mobile numbers anywhere. */
export function maskPhonesInText(text: string): string {
  return text
    .replace(PHONE_FIELD, (_, open: string, _key: string, value: string, close: string) => `${open}${maskPhone(value)}${close}`)
    .replace(MOBILE, (found) => maskPhone(found)!);
}

/** A key whose text is a body cut to its first characters (list previews). */
const CUT_TEXT_KEY = /Preview$/;

/** maskPhonesInText for a text cut short: a phone cut off at its end is masked whole too. */
export function maskPhonesInCutText(text: string): string {
  return maskPhonesInText(text)
    .replace(CUT_PHONE_FIELD, (_, open: string, value: string) => `${open}${"*".repeat(value.length)}`)
    .replace(CUT_MOBILE, (found) => found.replace(/\d/g, "*"));
}

/**
 * A copy of a procedure's answer as a viewer may see it: every string masked
 * (maskPhonesInText), and every string or number under a phone key masked
 * whole. Dates and other non-plain objects are kept as they are.
 */
export function maskForViewer<T>(value: T): T {
  return walk(value, "") as T;
}

function walk(value: unknown, key: string): unknown {
  const phoneKey = PHONE_KEY.test(key);
  if (typeof value === "string") return phoneKey ? maskPhone(value) : CUT_TEXT_KEY.test(key) ? maskPhonesInCutText(value) : maskPhonesInText(value);
  if (typeof value === "number" && phoneKey) return maskPhone(String(value));
  if (Array.isArray(value)) return value.map((item) => walk(item, key));
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, walk(item, name)]));
  }
  return value;
}
