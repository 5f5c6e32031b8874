import { en } from "@/lib/i18n/en";
import type { Locale } from "@/lib/i18n/locale";
import { zh, type MessageKey } from "@/lib/i18n/zh-cn";

const dictionaries = { "zh-CN": zh, en } satisfies Record<Locale, Record<MessageKey, string>>;

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** `t("common.page", { n: 2 })` → "第 2 页". */
export function translator(locale: Locale): Translate {
  const dictionary: Record<MessageKey, string> = dictionaries[locale];
  return (key, vars) => {
    const text = dictionary[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
  };
}
