// How what people type becomes what the search compares (SPEC §6): full-width
// characters from a Chinese IME and lower case fold to the codes' form, a
// phone is its digits, several words narrow each other.

import { foldCode } from "@/db/fold-code";

/**
 * The folded codes a typed text may mean: as typed, and without its spaces —
 * a waybill read out in groups, `SF 1234 5678 90`, is `SF1234567890`. One
 * entry when the text has no space.
 */
export const codeForms = (text: string): string[] => [...new Set([foldCode(text), foldCode(text).replace(/\s+/g, "")])];

/**
 * The ways a typed name may be stored: as typed, and without its spaces
 * (`林 晓燕` → `林晓燕`: a name read out or typed with a space between surname
 * and given name). One entry when the name has no space.
 */
export const nameForms = (name: string): string[] => [...new Set([name, name.replace(/\s+/g, "")])];

/**
 * A phone as its digits, a +86 / 0086 prefix dropped from a mobile number;
 * undefined when the text is not phone-like (other than digits, spaces, dashes,
 * dots, parentheses and a leading +) or has fewer than 7 digits. The same rule
 * as the notices.phone_digits generated column.
 */
export function searchablePhone(text: string): string | undefined {
  const folded = text.normalize("NFKC");
  if (!/^\+?[\d\s\-.()]+$/.test(folded)) return undefined;
  const digits = folded.replace(/\D/g, "");
  if (digits.length < 7) return undefined;
  return digits.replace(/^(0086|86)(1\d{10})$/, "$2");
}

/** The words of a query, each to be matched by some key: split on any space, the ideographic one included. */
export const searchWords = (term: string) => term.normalize("NFKC").split(/\s+/).filter(Boolean).slice(0, 5);

/** The keys a hit can match, in the order hits list them. One list: the search and its page use it. */
export const SEARCH_KEYS = [
  "dispatchNo",
  "purchaseCode",
  "memberCode",
  "receiver",
  "receiverPrefix",
  "phone",
  "phoneTail",
  "shopCode",
  "transferCode",
  "waybill",
  "oldWaybill",
  "serial",
  "returnSerial",
  "returnWaybill",
] as const;
export type SearchKey = (typeof SEARCH_KEYS)[number];

/** One reason a notice is a hit: the key, the value it matched, and for an old waybill what it is now. */
export type SearchMatch = { key: SearchKey; value: string; now?: string | null };
