import { Alert, Badge, Card, Group, List, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
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

/** A status code in words: "awaiting_seller" → "awaiting seller". */
export const statusWords = (status: string) => status.replace(/_/g, ' ');

/**
 * A status in words and colour, never cut short: Mantine's badge clips its label with an
 * ellipsis, and a narrow table column then shrank "awaiting seller" to "AW…".
 */
export function StatusBadge({ status, color }: { status: string; color?: string }) {
  return (
    <Badge
      color={color ?? STATUS_COLORS[status] ?? 'gray'}
      variant="light"
      data-testid="claim-status"
      styles={{
        root: { flexShrink: 0, maxWidth: 'none', overflow: 'visible' },
        label: { overflow: 'visible', textOverflow: 'clip' },
      }}
    >
      {statusWords(status)}
    </Badge>
  );
}

/** In the claim's own currency (web/src/format/money.ts): £1,000.00 for a UK claim, €1,000.00 for a German one. */
export { formatMoney };

export const Money = ({ value }: { value: { value: number; currency: string } }) => <>{formatMoney(value)}</>;

/**
 * A deadline in plain words, in the marketplace's zone: "due Wed 2 Dec, 11:59 PM — 43 h left",
 * the zone as secondary text, the viewer's own time on hover (web/src/format/deadline.ts).
 */
export function Deadline({ deadline }: { deadline: { at: string; timeZone: string } | null }) {
  if (!deadline) return null;
  // The screen's "now" is the viewer's clock; the server's injected clock decides the deadline itself.
  const { text, zone, viewerTime, overdue } = formatDeadline(deadline, new Date());
  return (
    <>
      <Text span c={overdue ? 'red.9' : undefined} title={viewerTime} data-testid="deadline">
        {text}
      </Text>{' '}
      <Text span size="xs" c="dimmed" title={viewerTime} data-testid="deadline-zone">
        ({zone})
      </Text>
    </>
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

/**
 * The issues of a shared request schema (src/**\/*.schemas.ts) as a form's errors, keyed by the
 * form field each request path comes from: the form shows the API's own rules before sending.
 */
export function formErrors(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } | undefined,
  fieldOf: (path: readonly PropertyKey[]) => string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error?.issues ?? []) {
    const field = fieldOf(issue.path);
    errors[field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  }
  return errors;
}

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A table on a wide screen, a stack of cards on a phone (under Mantine's `sm`, 48em): each card
 * lists the columns as label and value, so nothing is cut off and nothing scrolls sideways.
 */
export function ResponsiveTable<T>({
  rows,
  columns,
  rowKey,
  label,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  label: string;
}) {
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  if (phone) {
    return (
      <Stack gap="sm" role="list" aria-label={label}>
        {rows.map((row) => (
          <Card withBorder key={rowKey(row)} role="listitem" padding="sm">
            <Stack gap={6}>
              {columns.map((column) => (
                <Group key={column.header} gap="xs" wrap="nowrap" align="flex-start">
                  <Text size="sm" c="dimmed" w={110} style={{ flexShrink: 0 }}>
                    {column.header}
                  </Text>
                  <Text size="sm" component="div" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    {column.cell(row)}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Card>
        ))}
      </Stack>
    );
  }
  return (
    <Table striped aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column) => (
            <Table.Th key={column.header}>{column.header}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)}>
            {columns.map((column) => (
              <Table.Td key={column.header}>{column.cell(row)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
