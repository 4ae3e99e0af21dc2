import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core, a pinned devDependency: a missing one is a broken install, not a reason to skip. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}

/**
 * Runs axe-core on the page as it is and returns its serious and critical violations, each with
 * the first elements it found, so a failure says where to look. Every Chromium test file checks
 * its pages through this one function.
 *
 * axe is evaluated over the DevTools protocol, once per document (the app navigates without
 * reloading): the app's Content-Security-Policy (script-src 'self') rightly refuses an injected
 * <script>, and the check must not weaken it. Every rule runs; only violations are collected in
 * full (passes and incompletes are what make a run slow on a large page, and nothing reads them).
 * `exclude` leaves out parts another file answers for (e.g. the layout's header).
 */
export async function seriousAxeViolations(
  page: Page,
  name: string,
  options: { exclude?: string[][] } = {},
): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (exclude) => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document | { exclude: string[][] },
            options: { resultTypes: string[] },
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: AxeNode[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(exclude.length ? { exclude } : document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes
        .slice(0, 4)
        .map(
          (n) => `${n.target.join(' ')}: ${n.html.slice(0, 100)} (${(n.failureSummary ?? '').slice(0, 200)})`,
        ),
    }));
  }, options.exclude ?? []);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}, ${v.nodes} nodes): ${v.help} at ${v.targets.join(' | ')}`);
}
