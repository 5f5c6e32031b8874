import { translator } from "@/lib/i18n/messages";

/** The labels a zh-CN reader sees (the default), and an English reader's. */
export const zh = translator("zh-CN");
export const en = translator("en");
