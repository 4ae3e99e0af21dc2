import '@mantine/core/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/charts/styles.css';
import {
  type CSSVariablesResolver,
  createTheme,
  darken,
  defaultVariantColorsResolver,
  MantineProvider,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { SessionProvider } from './session.tsx';

/**
 * WCAG AA contrast (axe-core's color-contrast, checked by the Chromium tests): Mantine's default
 * light variants (badges, light buttons, the active navigation link) and dimmed text fall below
 * 4.5:1 on white. Light, subtle and outline colours take the colour's darkest shade, darkened;
 * filled buttons pick black or white text by the background's luminance.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const defaults = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return defaults;
  // A hovered filled button darkens (Mantine lightens the darkest shade, under the text's contrast).
  if (input.variant === 'filled' && !(input.color ?? '').includes('.'))
    return { ...defaults, hover: darken(input.theme.colors[parsed.color]?.[9] ?? parsed.value, 0.15) };
  if (!['light', 'subtle', 'outline'].includes(input.variant)) return defaults;
  const strong = darken(input.theme.colors[parsed.color]?.[9] ?? parsed.value, 0.4);
  return {
    ...defaults,
    color: strong,
    ...(input.variant === 'outline' ? { border: `1px solid ${strong}` } : {}),
  };
};
/** The same for what Mantine colours through CSS variables: the active navigation link, alerts, links. */
const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const strong = (color: string) => darken(t.colors[color]?.[9] ?? '#000', 0.4);
  const lightColors = Object.fromEntries(
    Object.keys(t.colors).flatMap((color) => [
      [`--mantine-color-${color}-light-color`, strong(color)],
      // A hovered filled button darkens (Mantine lightens the darkest shade, under white text's contrast).
      [`--mantine-color-${color}-filled-hover`, darken(t.colors[color]?.[9] ?? '#000', 0.15)],
    ]),
  );
  return {
    variables: {},
    light: {
      ...lightColors,
      '--mantine-primary-color-light-color': strong(t.primaryColor),
      '--mantine-primary-color-filled-hover': darken(t.colors[t.primaryColor]?.[9] ?? '#000', 0.15),
      '--mantine-color-anchor': strong(t.primaryColor),
      '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057',
    },
    dark: {},
  };
};
const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  defaultRadius: 'md',
  autoContrast: true,
  luminanceThreshold: 0.18,
  variantColorResolver,
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
