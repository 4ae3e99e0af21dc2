import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';
import { ProblemAlert } from '../../components/ui.tsx';

type ApiKey = components['schemas']['ApiKey'];
type Role = ApiKey['role'];
const ROLES: Role[] = ['admin', 'agent', 'tpa', 'customer', 'seller', 'insurer', 'expert'];
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** API keys: create (the secret shown once), list with last use, revoke, rotate. */
export function ApiKeysPage() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [role, setRole] = useState<Role>('seller');
  const [partyId, setPartyId] = useState('');
  const [label, setLabel] = useState('');

  const load = useCallback(() => {
    call(api.GET('/v1/api-keys', { params: { query: { limit: 200 } } }))
      .then((page) => setKeys(page.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      load();
    } catch (e) {
      setError(e);
    }
  };
  const create = () =>
    act(async () => {
      const created = await call(
        api.POST('/v1/api-keys', {
          body: { role, partyId: partyId.trim() || null, label: label.trim() || null },
        }),
      );
      setSecret({ id: created.id, secret: created.secret });
    });
  const rotate = (id: string) =>
    act(async () => {
      const { created } = await call(
        api.POST('/v1/api-keys/{id}/rotate', { params: { path: { id } }, body: { overlapSeconds: 3600 } }),
      );
      setSecret({ id: created.id, secret: created.secret });
    });
  const revoke = (id: string) =>
    act(() => call(api.POST('/v1/api-keys/{id}/revoke', { params: { path: { id } } })));

  return (
    <Stack>
      <Title order={2}>API keys</Title>
      <ProblemAlert error={error} />
      {secret && (
        <Alert color="yellow" title="Copy the secret now: it is not shown again" data-testid="new-secret">
          <Group>
            <Code>{secret.secret}</Code>
            <CopyButton value={secret.secret}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
            <Button size="xs" variant="subtle" onClick={() => setSecret(null)}>
              Done
            </Button>
          </Group>
        </Alert>
      )}
      <Group align="end">
        <Select
          label="Role"
          data={ROLES}
          value={role}
          onChange={(v) => v && setRole(v as Role)}
          allowDeselect={false}
        />
        <TextInput
          label="Party id"
          description="the customer, seller, insurer or expert"
          value={partyId}
          onChange={(e) => setPartyId(e.currentTarget.value)}
          disabled={role === 'admin' || role === 'agent'}
        />
        <TextInput label="Label" value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
        <Button onClick={() => void create()}>Create key</Button>
      </Group>
      {keys?.length === 0 && <Text c="dimmed">No keys.</Text>}
      {keys && keys.length > 0 && (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key</Table.Th>
              <Table.Th>Role · party</Table.Th>
              <Table.Th>Label</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.map((k) => (
              <Table.Tr key={k.id} data-testid={`key-${k.id}`}>
                <Table.Td>
                  <Code>{k.id}</Code>
                </Table.Td>
                <Table.Td>
                  {k.role}
                  {k.partyId ? ` · ${k.partyId}` : ''}
                </Table.Td>
                <Table.Td>{k.label ?? ''}</Table.Td>
                <Table.Td>{k.status}</Table.Td>
                <Table.Td>{when(k.lastUsedAt)}</Table.Td>
                <Table.Td>{when(k.expiresAt)}</Table.Td>
                <Table.Td>
                  {k.status === 'active' && (
                    <Group gap="xs">
                      {!k.replacedBy && (
                        <Button size="xs" variant="light" onClick={() => void rotate(k.id)}>
                          Rotate
                        </Button>
                      )}
                      <Button size="xs" color="red" variant="light" onClick={() => void revoke(k.id)}>
                        Revoke
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
