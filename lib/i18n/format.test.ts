import { describe, expect, it } from "vitest";
import { formatAge, formatTime } from "@/lib/i18n/format";

const at = (iso: string) => new Date(iso);

describe("formatTime", () => {
  it("prints the instant in the reader's zone, the same on any machine", () => {
    expect(formatTime(at("2026-11-29T16:54:30Z"), "Asia/Shanghai")).toBe("2026-11-30 00:54:30");
    expect(formatTime("2026-11-29T16:54:30Z", "UTC")).toBe("2026-11-29 16:54:30");
  });
});

describe("formatAge", () => {
  const now = at("2026-11-30T02:00:00Z").getTime(); // 10:00 in Beijing

  it("counts seconds, minutes and hours", () => {
    expect(formatAge(at("2026-11-30T01:59:50Z"), "en", "Asia/Shanghai", now)).toBe("10 sec. ago");
    expect(formatAge(at("2026-11-30T01:57:00Z"), "zh-CN", "Asia/Shanghai", now)).toBe("3分钟前");
    expect(formatAge(at("2026-11-29T22:00:00Z"), "en", "Asia/Shanghai", now)).toBe("4 hr. ago");
  });

  it("says yesterday only for yesterday's date in the reader's zone", () => {
    // 35 h ago is 23:00 two dates back in Beijing: 前天, not 昨天 (35 h rounds to one day).
    expect(formatAge(at("2026-11-28T15:00:00Z"), "zh-CN", "Asia/Shanghai", now)).toBe("前天");
    expect(formatAge(at("2026-11-28T15:00:00Z"), "en", "Asia/Shanghai", now)).toBe("2 days ago");
    // 25 h ago, yesterday 09:00 in Beijing.
    expect(formatAge(at("2026-11-29T01:00:00Z"), "zh-CN", "Asia/Shanghai", now)).toBe("昨天");
    // Read in UTC, 04:00 Beijing time is the evening of the day before: two dates back.
    expect(formatAge(at("2026-11-28T20:00:00Z"), "zh-CN", "Asia/Shanghai", now)).toBe("昨天");
    expect(formatAge(at("2026-11-28T20:00:00Z"), "en", "UTC", now)).toBe("2 days ago");
  });

  it("shows a dash for no time", () => {
    expect(formatAge(null, "en", "UTC", now)).toBe("—");
  });
});
