import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { components } from '../../api/schema.ts';
import { formatMoney } from '../ui.tsx';
import { ClaimStatus } from './ClaimStatus.tsx';
import { Due } from './Due.tsx';

export type Claim = components['schemas']['Claim'];

/** The deadline a claim waits on now, whatever its status. */
export const nextDeadline = (c: Claim) =>
  c.deadlines.review ??
  c.deadlines.sellerResponse ??
  c.deadlines.claimantInformation ??
  c.deadlinePaymentConfirmation ??
  c.deadlines.appeal ??
  null;

/** "3 d", "5 h": how long ago the claim was filed, by the viewer's clock. */
export function age(filedAt: string, now = new Date()): string {
  const hours = Math.max(0, Math.floor((now.getTime() - new Date(filedAt).getTime()) / 3_600_000));
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** The claim named as people know it: the product, then who claims (staff) or its number. */
export const claimTitle = (c: Claim) =>
  `${c.productTitle ?? 'Unknown product'}${c.customerName ? ` — ${c.customerName}` : ''}`;

interface Columns {
  customer: boolean;
  seller: boolean;
  score: boolean;
  owner: boolean;
}

function TakeButton({ claim, onTake }: { claim: Claim; onTake?: ((c: Claim) => void) | undefined }) {
  if (!onTake || !claim.actions.some((a) => a.name === 'take')) return null;
  return (
    <Button
      size="compact-xs"
      variant="default"
      onClick={() => onTake(claim)}
      aria-label={`Take ${claim.claimNumber}`}
    >
      Take
    </Button>
  );
}

/**
 * A list of claims with names, amounts, age and deadline: a table on a desk, stacked cards on
 * a phone (no column cut off), the status always in full.
 */
export function ClaimList({
  claims,
  columns,
  onTake,
}: {
  claims: Claim[];
  columns: Columns;
  onTake?: (c: Claim) => void;
}) {
  return (
    <>
      <Table striped highlightOnHover visibleFrom="md" data-testid="claims-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Claim</Table.Th>
            {columns.customer && <Table.Th>Customer</Table.Th>}
            <Table.Th>Product</Table.Th>
            {columns.seller && <Table.Th>Seller</Table.Th>}
            <Table.Th>Status</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>Amount</Table.Th>
            <Table.Th>Age</Table.Th>
            <Table.Th>Deadline</Table.Th>
            {columns.score && <Table.Th style={{ textAlign: 'right' }}>Score</Table.Th>}
            {columns.owner && <Table.Th>Owner</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {claims.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor component={Link} to={`/claims/${c.id}`}>
                  {c.claimNumber}
                </Anchor>
                <Text size="xs" c="gray.7">
                  {c.type.replace('_', ' ')}
                </Text>
              </Table.Td>
              {columns.customer && <Table.Td>{c.customerName ?? '—'}</Table.Td>}
              <Table.Td>{c.productTitle ?? '—'}</Table.Td>
              {columns.seller && <Table.Td>{c.sellerName ?? '—'}</Table.Td>}
              <Table.Td>
                <ClaimStatus status={c.status} />
              </Table.Td>
              <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                {formatMoney(c.amount)}
              </Table.Td>
              <Table.Td>{age(c.filedAt)}</Table.Td>
              <Table.Td>
                <Due deadline={nextDeadline(c)} size="xs" />
              </Table.Td>
              {columns.score && (
                <Table.Td style={{ textAlign: 'right' }}>{c.risk ? c.risk.score.toFixed(2) : '—'}</Table.Td>
              )}
              {columns.owner && (
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{c.owner?.name ?? '—'}</Text>
                    <TakeButton claim={c} onTake={onTake} />
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Stack hiddenFrom="md" gap="sm" data-testid="claims-cards">
        {claims.map((c) => (
          <Card key={c.id} withBorder padding="sm">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                {/* Named by product and, for a screen reader and search, by its number too. */}
                <Anchor
                  component={Link}
                  to={`/claims/${c.id}`}
                  fw={600}
                  aria-label={`${c.productTitle ?? 'Claim'}, claim ${c.claimNumber}`}
                >
                  {c.productTitle ?? c.claimNumber}
                </Anchor>
                <Text size="xs" c="gray.7">
                  {c.claimNumber} · {c.type.replace('_', ' ')}
                </Text>
              </Stack>
              <ClaimStatus status={c.status} />
            </Group>
            <SimpleGrid cols={2} spacing={4} verticalSpacing={2} mt="xs">
              {columns.customer && <Text size="sm">{c.customerName ?? '—'}</Text>}
              {columns.seller && <Text size="sm">{c.sellerName ?? '—'}</Text>}
              <Text size="sm" fw={600}>
                {formatMoney(c.amount)}
              </Text>
              <Text size="sm">
                filed {age(c.filedAt)} ago
                {columns.score && c.risk ? ` · score ${c.risk.score.toFixed(2)}` : ''}
              </Text>
            </SimpleGrid>
            <Due deadline={nextDeadline(c)} size="xs" />
            {columns.owner && (
              <Group gap={6} mt={4}>
                <Text size="xs" c="gray.7">
                  Owner: {c.owner?.name ?? 'nobody'}
                </Text>
                <TakeButton claim={c} onTake={onTake} />
              </Group>
            )}
          </Card>
        ))}
      </Stack>
    </>
  );
}
