import { Alert, Badge, List, Text } from '@mantine/core';
import { ApiError } from '../api/client.ts';
import { formatDeadline } from '../format/deadline.ts';
import { formatMoney } from '../format/money.ts';

const STATUS_COLORS: Record<string, string> = {
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

/** A claim status in words and colour. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" data-testid="claim-status">
      {status.replace(/_/g, ' ')}
    </Badge>
  );
}

/** In the claim's own currency (web/src/format/money.ts): £1,000.00 for a UK claim, €1,000.00 for a German one. */
export { formatMoney };

export const Money = ({ value }: { value: { value: number; currency: string } }) => <>{formatMoney(value)}</>;

/** A deadline in the marketplace's zone, the viewer's own time on hover (web/src/format/deadline.ts). */
export function Deadline({ deadline }: { deadline: { at: string; timeZone: string } | null }) {
  if (!deadline) return null;
  // The screen's "now" is the viewer's clock; the server's injected clock decides the deadline itself.
  const { text, viewerTime } = formatDeadline(deadline, new Date());
  return (
    <Text span title={viewerTime} data-testid="deadline">
      {text}
    </Text>
  );
}

/** A problem from the API, its field errors next to the message. */
export function ProblemAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <Alert color="red" title={problem?.title ?? 'Something went wrong'} role="alert">
      {problem?.detail ?? String(error)}
      {problem?.errors && (
        <List size="sm">
          {problem.errors.map((e) => (
            <List.Item key={e.field}>
              {e.field}: {e.rule}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
