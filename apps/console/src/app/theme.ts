import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * Mantine theme: a dark primary shade so white text on buttons passes WCAG AA (4.5:1), and a
 * focus ring on every focusable element (keyboard users at the desk).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  focusRing: 'always',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'md',
  autoContrast: true,
  components: {
    Badge: { defaultProps: { autoContrast: true } },
  },
});

/**
 * Mantine's dimmed grey (gray-6) and error red (red-6) are about 3.3:1 on white: secondary text
 * uses gray-7 and field errors red-9 (WCAG 1.4.3).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});
