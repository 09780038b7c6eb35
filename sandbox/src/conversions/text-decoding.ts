const utf8 = new TextDecoder('utf-8', { fatal: true });
/** What Windows-1252 has at 0x80–0x9F, where Latin-1 has C1 controls (undefined bytes map to themselves). */
const WINDOWS_1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** The character a Windows-1252 byte stands for. */
export function windows1252Char(byte: number): string {
  return byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_C1.charAt(byte - 0x80) : String.fromCharCode(byte);
}

/** Windows-1252 by hand: Node's TextDecoder treats it as Latin-1 (nodejs/node#56542). */
function decodeWindows1252(data: Uint8Array): string {
  let text = '';
  for (const byte of data) text += windows1252Char(byte);
  return text;
}

/**
 * Decodes a text file: UTF-8 (a BOM is dropped), or Windows-1252 when the bytes are not valid
 * UTF-8, which is what older editors write. UTF-16 with a byte order mark is also recognised.
 */
export function decodeText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return utf8.decode(data).replace(/^\uFEFF/, '');
  } catch {
    return decodeWindows1252(data);
  }
}
