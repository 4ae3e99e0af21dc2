import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core, a pinned devDependency, injected into the page under test. */
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core');

/**
 * Runs axe-core on the page as it is and returns its serious and critical violations, each with
 * the first elements it found, so a failure says where to look. The page's context needs
 * `bypassCSP: true`: the app's CSP (script-src 'self') refuses an injected script.
 */
export async function seriousAxeViolations(page: Page, name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    interface Node {
      target: string[];
      html: string;
      failureSummary?: string;
    }
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: Node[] }[] }>;
        };
      }
    ).axe;
    return (await axe.run(document)).violations.map((v) => ({
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
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}, ${v.nodes} nodes): ${v.help} at ${v.targets.join(' | ')}`);
}
