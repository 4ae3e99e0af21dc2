import '@mantine/core/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/charts/styles.css';
import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  defaultVariantColorsResolver,
  MantineProvider,
  NavLink,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { SessionProvider } from './session.tsx';

// Text keeps a 4.5:1 contrast (WCAG AA; axe-core checks every page in the Chromium tests).
// Mantine's defaults fall short: white on a shade-6 fill, shade-6 text on a light tint, the grey
// of "dimmed" text and the red of field errors. Filled colours and light-variant text are drawn
// from shade 9 darkened, the others from darker shades; the hues stay Mantine's.
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  const shade9 = parsed.isThemeColor ? input.theme.colors[parsed.color]?.[9] : undefined;
  if (!shade9) return colors;
  if (input.variant === 'filled') {
    const fill = darken(shade9, 0.25);
    return { ...colors, background: fill, hover: darken(fill, 0.1), color: 'var(--mantine-color-white)' };
  }
  if (input.variant === 'light' || input.variant === 'subtle' || input.variant === 'outline') {
    const text = darken(shade9, 0.35);
    return {
      ...colors,
      color: text,
      hoverColor: text,
      ...(input.variant === 'outline' ? { border: `1px solid ${text}` } : {}),
    };
  }
  return colors;
};

const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  defaultRadius: 'md',
  variantColorResolver,
  components: {
    // The current page's link is filled (white on dark teal), not tinted.
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
  },
});
const cssVariablesResolver: CSSVariablesResolver = (resolved) => ({
  variables: {},
  light: {
    // Links stay readable on a striped table row's grey too.
    '--mantine-color-anchor': darken(resolved.colors.teal[9], 0.2),
    // A button with no colour of its own hovers in the primary's hover shade (teal 8 by default:
    // 3.9:1 with white); darker than its resting teal 9 instead.
    '--mantine-primary-color-filled-hover': darken(resolved.colors.teal[9], 0.15),
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
const root = document.getElementById('root');
if (!root) throw new Error('no #root element');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <BrowserRouter basename="/app">
        <SessionProvider>
          <App />
        </SessionProvider>
      </BrowserRouter>
    </MantineProvider>
  </StrictMode>,
);
