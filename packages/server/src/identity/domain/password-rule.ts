/**
 * The password rule for accounts registering themselves (等保 2.0 level 3 style complexity):
 * at least PASSWORD_MIN_LENGTH characters, of at least three of the four kinds — lowercase
 * letters, uppercase letters, digits, symbols (any other character) — and not containing the
 * username (compared case-insensitively).
 */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MIN_KINDS = 3;

export type PasswordProblem = 'too_short' | 'too_few_classes' | 'contains_username';

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, { zh: string; en: string }> = {
  too_short: { zh: `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符`, en: `The password needs at least ${PASSWORD_MIN_LENGTH} characters` },
  too_few_classes: {
    zh: '密码须包含小写字母、大写字母、数字、符号中的至少三类',
    en: 'The password needs characters of at least three of these kinds: lowercase letters, uppercase letters, digits, symbols',
  },
  contains_username: { zh: '密码不能包含用户名', en: 'The password must not contain the username' },
};

/** How many of the four kinds of character the password has. */
export function passwordKinds(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) => kind.test(password)).length;
}

/** What is wrong with a password for this username, or undefined when it meets the rule. */
export function passwordProblem(password: string, username: string): PasswordProblem | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (passwordKinds(password) < PASSWORD_MIN_KINDS) return 'too_few_classes';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'contains_username';
  return undefined;
}

/**
 * 修改密码: a new password may equal none of the account's last PASSWORD_HISTORY_DEPTH passwords,
 * the current one included (so the previous PASSWORD_HISTORY_DEPTH - 1 are kept, hashed).
 */
export const PASSWORD_HISTORY_DEPTH = 5;

export const PASSWORD_REUSED_MESSAGE = {
  zh: `新密码不能与最近 ${PASSWORD_HISTORY_DEPTH} 次使用过的密码（含当前密码）相同`,
  en: `The new password must differ from your last ${PASSWORD_HISTORY_DEPTH} passwords, the current one included`,
} as const;
