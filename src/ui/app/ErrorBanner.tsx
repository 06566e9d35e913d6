// Every message a person must see: rejected URL fields, data problems, training failures. Each one
// can be dismissed; the banner is absent when there is nothing to say.
import type { BannerMessage, MessageSource } from './training-state';

interface Props {
  messages: readonly BannerMessage[];
  onDismiss(id: number): void;
}

const SOURCE_LABELS: Record<MessageSource, string> = {
  url: 'Link',
  data: 'Data',
  training: 'Training',
  device: 'GPU',
  backend: 'Backend',
  worker: 'Worker',
  page: 'Page',
  spectra: 'Spectra',
  proxy: 'Sample quality',
};

export function ErrorBanner({ messages, onDismiss }: Props) {
  if (messages.length === 0) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <ul>
        {messages.map((m) => (
          <li key={m.id} data-source={m.source}>
            <strong>{SOURCE_LABELS[m.source]}:</strong> {m.text}
            <button type="button" className="dismiss" aria-label="Dismiss this message" onClick={() => onDismiss(m.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
