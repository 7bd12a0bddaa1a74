/** Personal data in logs, job data and stored reports is masked: `138****5678`, `z***@example.com`. */
export function maskPhone(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  const digits = phone.trim();
  if (digits.length <= 4) return '****';
  if (digits.length < 8) return `${digits.slice(0, 1)}****${digits.slice(-2)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskEmail(email: string | undefined): string | undefined {
  if (email === undefined) return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
