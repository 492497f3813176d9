import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { StepUpProvider } from './StepUp';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StepUpProvider>
      <App />
    </StepUpProvider>
  </StrictMode>,
);
