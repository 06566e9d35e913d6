import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app/App';
import { ErrorBoundary } from './ui/app/ErrorBoundary';
import './ui/app/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary name="The playground">
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
