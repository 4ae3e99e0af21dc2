import { Card, Table, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, call } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { Money } from '../components/ui.tsx';

type Entries =
  paths['/v1/claims/{id}/ledger']['get']['responses'][200]['content']['application/json']['data'];

/** The claim's journal entries, as the agent checks what was booked and paid. */
export function LedgerCard({ claimId, version }: { claimId: string; version: string }) {
  const [entries, setEntries] = useState<Entries>([]);
  useEffect(() => {
    void version; // reload when the claim changes
    call(api.GET('/v1/claims/{id}/ledger', { params: { path: { id: claimId } } }))
      .then((r) => setEntries(r.data))
      .catch(() => setEntries([]));
  }, [claimId, version]);
  if (entries.length === 0) return null;
  return (
    <Card withBorder data-testid="ledger">
      <Title order={4}>Ledger</Title>
      <Table>
        <Table.Tbody>
          {entries.flatMap((e) =>
            e.lines.map((l, i) => (
              <Table.Tr key={`${e.id}-${l.accountId}`}>
                <Table.Td>{i === 0 ? e.kind.replace(/_/g, ' ') : ''}</Table.Td>
                <Table.Td>{l.accountId}</Table.Td>
                <Table.Td>
                  <Money value={l.amount} />
                </Table.Td>
              </Table.Tr>
            )),
          )}
        </Table.Tbody>
      </Table>
    </Card>
  );
}
