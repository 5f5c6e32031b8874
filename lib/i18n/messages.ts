import { en } from "@/lib/i18n/en";
import type { Locale } from "@/lib/i18n/locale";
import { zh, type MessageKey } from "@/lib/i18n/zh-cn";

export const dictionaries = { "zh-CN": zh, en } satisfies Record<Locale, Record<MessageKey, string>>;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

const pluralRules = new Map<Locale, Intl.PluralRules>();

/**
 * `{n, plural, one {# attempt} other {# attempts}}` (a subset of ICU
 * MessageFormat: `one` / `other`, `#` for the number) picked by
 * Intl.PluralRules of the locale. zh-CN strings need none (Chinese has no
 * plural forms); English ones do ("1 attempt", "2 attempts").
 */
function plurals(text: string, locale: Locale, vars: Record<string, string | number>): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return text.replace(/\{(\w+), plural, one \{([^}]*)\} other \{([^}]*)\}\}/g, (_, name: string, one: string, other: string) => {
    const n = Number(vars[name]);
    return (rules.select(n) === "one" ? one : other).replace(/#/g, String(vars[name]));
  });
}

/** `t("common.page", { n: 2 })` → "第 2 页"; `t("delivery.attempts", { n: 1 })` → "1 attempt" in English. */
export function translator(locale: Locale): Translate {
  const dictionary: Record<MessageKey, string> = dictionaries[locale];
  return (key, vars) => {
    const text = dictionary[key] ?? key;
    if (!vars) return text;
    return plurals(text, locale, vars).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
  };
}
