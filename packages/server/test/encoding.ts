/** Bytes of `text` in a single-byte encoding (the files 1C and old Excel write), built from the decoder's own table. */
export function encodeSingleByte(text: string, encoding: 'windows-1251' | 'koi8-r'): Buffer {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte += 1) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from([...text].map((char) => table.get(char) ?? 0x3f));
}
