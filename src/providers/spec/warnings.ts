/**
 * A setting the provider could not honour exactly. Warnings travel back to the client
 * (the `x-tts-warnings` header) instead of being dropped silently.
 */
export type SpeechWarning =
  | { readonly type: 'unsupported-setting'; readonly setting: string; readonly details: string }
  | { readonly type: 'clamped-setting'; readonly setting: string; readonly requested: number; readonly applied: number }
  | { readonly type: 'other'; readonly message: string };

export function describeWarning(warning: SpeechWarning): string {
  switch (warning.type) {
    case 'unsupported-setting':
      return `${warning.setting} not supported: ${warning.details}`;
    case 'clamped-setting':
      return `${warning.setting} ${warning.requested} applied as ${warning.applied}`;
    case 'other':
      return warning.message;
  }
}
