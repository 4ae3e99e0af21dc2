import { Text, Tooltip } from '@mantine/core';
import { dueText } from './due.ts';

/** "due Wed 2 Dec, 11:59 PM · 43 h left", red once passed; the zone and the viewer's time on hover. */
export function Due({
  deadline,
  label,
  size = 'sm',
}: {
  deadline: { at: string; timeZone: string } | null | undefined;
  label?: string;
  size?: 'xs' | 'sm';
}) {
  if (!deadline) return null;
  // The screen's "now" is the viewer's clock; the server's clock decides the deadline itself.
  const due = dueText(deadline, new Date());
  return (
    <Tooltip label={due.hover} multiline maw={280} withArrow>
      <Text span size={size} c={due.overdue ? 'red.9' : undefined} data-testid="due" tabIndex={0}>
        {label ? `${label} ` : ''}
        {due.when} · <b>{due.left}</b>
      </Text>
    </Tooltip>
  );
}
