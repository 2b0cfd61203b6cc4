/**
 * The LIKE pattern that finds `text` anywhere in a value, the user's text taken literally: its
 * `%`, `_` and `\` are escaped (PostgreSQL's default LIKE escape character is the backslash),
 * so a search for "张_三" does not also find 张小三.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
