// The text of a thrown value, for a message a person reads (an Error's message, else the value).
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
