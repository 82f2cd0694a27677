export function docxOf(lines: (string | string[] | { row: (string | string[])[] })[]): Buffer;
export function docxText(content: Buffer): string[];
export function docxRows(content: Buffer): string[][];
