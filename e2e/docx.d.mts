export function docxOf(lines: (string | string[])[]): Buffer;
export function docxText(content: Buffer): string[];
