import { describe, expect, it } from "vitest";
import { maskForViewer, maskPhone, maskPhonesInCutText, maskPhonesInText } from "@/server/dashboard/mask-phone";

describe("maskPhone", () => {
  it("keeps the first 3 and last 4 digits of a mobile, the last 4 of shorter numbers", () => {
    expect(maskPhone("13812341234")).toBe("138****1234");
    expect(maskPhone("88886666")).toBe("****6666");
    expect(maskPhone(null)).toBeNull();
  });
});

describe("maskPhonesInText", () => {
  it("masks a phone field in JSON text, whatever its format, also in a cut body", () => {
    expect(maskPhonesInText('{"receiver":"张三","phone":"0571-8888 6666","address":"x"}')).toBe(
      '{"receiver":"张三","phone":"057*******6666","address":"x"}',
    );
    expect(maskPhonesInText('{"receiverPhone": "13812341234", "items":[{"prod')).toBe('{"receiverPhone": "138****1234", "items":[{"prod');
  });

  it("masks mobile numbers anywhere in text, written any way", () => {
    expect(maskPhonesInText("收件人电话 138-1234-1234 格式错误")).toBe("收件人电话 138******1234 格式错误");
    expect(maskPhonesInText('{"note":"call +86 13812341234"}')).not.toContain("1381234");
  });

  it("masks a phone cut off at the end of a body preview, so a partial number shows no digits", () => {
    expect(maskPhonesInCutText('{"receiver":"张三","phone":"0571-88')).toBe('{"receiver":"张三","phone":"*******');
    expect(maskPhonesInCutText('{"note":"call 1381234')).toBe('{"note":"call *******');
    expect(maskPhonesInCutText('{"note":"call +86 138123412')).toBe('{"note":"call +** *********');
    // a cut that ends in a code or a plain number is left alone
    expect(maskPhonesInCutText('{"waybillCode":"SF1381234')).toBe('{"waybillCode":"SF1381234');
    expect(maskPhonesInCutText('{"qty":2')).toBe('{"qty":2');
  });

  it("leaves codes that merely contain digits alone", () => {
    const text = '{"waybillCode":"SF13812341234","sn":"738123412345","dispatchNO":"DN20261130001"}';
    expect(maskPhonesInText(text)).toBe(text);
  });
});

describe("maskForViewer", () => {
  it("treats only list previews as cut: a code ending in digits elsewhere stays whole", () => {
    expect(maskForViewer({ dispatchNo: "DN-BIG-199", requestPreview: '{"dispatchNO":"DN-BIG-199","phone":"1381' })).toEqual({
      dispatchNo: "DN-BIG-199",
      requestPreview: '{"dispatchNO":"DN-BIG-199","phone":"****',
    });
  });

  it("masks phone fields and phone-like text at any depth, keeping dates and other values", () => {
    const at = new Date();
    const masked = maskForViewer({ notice: { phone: "13812341234", createdAt: at, id: 7 }, rows: [{ requestBody: '{"phone":"13900001111"}', mobile: 13900001111 }] });
    expect(masked).toEqual({ notice: { phone: "138****1234", createdAt: at, id: 7 }, rows: [{ requestBody: '{"phone":"139****1111"}', mobile: "139****1111" }] });
  });
});
