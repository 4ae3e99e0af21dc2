import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  screening: 'gray',
  needs_info: 'yellow',
  expert_review: 'grape',
  awaiting_seller: 'orange',
  awaiting_insurer: 'orange',
  under_review: 'blue',
  approved: 'teal',
  paid: 'green',
  denied: 'red',
  withdrawn: 'gray',
  closed: 'dark',
};

/**
 * A claim's status in full words: never cut to "AW…" (Mantine's badge ellipsises by default, so
 * the label is let out of its box and the badge grows to fit).
 */
export function ClaimStatus({ status }: { status: string }) {
  return (
    <Badge
      color={COLORS[status] ?? 'gray'}
      variant="light"
      // The status colour is the badge's ground; its words stay dark enough to read (WCAG AA).
      c="dark.7"
      data-testid="claim-status"
      styles={{
        root: { maxWidth: 'none', height: 'auto', minHeight: 20, flexShrink: 0 },
        label: { overflow: 'visible', textOverflow: 'clip', whiteSpace: 'nowrap' },
      }}
    >
      {status.replace(/_/g, ' ')}
    </Badge>
  );
}
