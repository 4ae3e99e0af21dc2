import '@mantine/core/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/charts/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { SessionProvider } from './session.tsx';

// Shade 9 keeps white on a filled button, links and light-variant text above 4.5:1 (WCAG AA, axe-core).
const theme = createTheme({ primaryColor: 'teal', primaryShade: { light: 9, dark: 8 }, defaultRadius: 'md' });
const root = document.getElementById('root');
if (!root) throw new Error('no #root element');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <BrowserRouter basename="/app">
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </MantineProvider>
  </StrictMode>,
);
