import { Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.ts';
import { ProblemAlert } from '../ui.tsx';
import { useAction } from './use-action.ts';

type Claim = components['schemas']['Claim'];
type Agent = paths['/v1/agents']['get']['responses'][200]['content']['application/json']['data'][number];

/** Who works the claim: take it, hand it to another agent, or release it (as the server allows). */
export function AssignmentCard({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { error, busy, run } = useAction(onDone);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [to, setTo] = useState<string | null>(null);
  const may = (name: Claim['actions'][number]['name']) => claim.actions.some((a) => a.name === name);
  const reassignable = may('reassign');
  useEffect(() => {
    if (!reassignable) return;
    call(api.GET('/v1/agents'))
      .then((r) => setAgents(r.data))
      .catch(() => setAgents([]));
  }, [reassignable]);
  if (!may('take') && !may('reassign') && !may('release')) return null;
  const assign = (owner: string | null) =>
    run(() =>
      call(api.POST('/v1/claims/{id}/assignment', { params: { path: { id: claim.id } }, body: { owner } })),
    );
  return (
    <Card withBorder data-testid="assignment">
      <Stack gap="xs">
        <Title order={4}>Owner</Title>
        <Text data-testid="owner">{claim.owner ? claim.owner.name : 'Nobody has taken this claim.'}</Text>
        <ProblemAlert error={error} />
        <Group gap="xs" align="flex-end">
          {may('take') && (
            <Button size="xs" loading={busy} onClick={() => assign('me')}>
              Take
            </Button>
          )}
          {may('release') && (
            <Button size="xs" variant="default" loading={busy} onClick={() => assign(null)}>
              Release
            </Button>
          )}
        </Group>
        {may('reassign') && (
          <Group gap="xs" align="flex-end">
            <Select
              size="xs"
              label="Reassign to"
              placeholder="Choose an agent"
              data={agents
                .filter((a) => a.id !== claim.owner?.id)
                .map((a) => ({ value: a.id, label: `${a.name} (${a.openClaims} open)` }))}
              value={to}
              onChange={setTo}
              style={{ flex: 1 }}
            />
            <Button size="xs" variant="light" disabled={!to} loading={busy} onClick={() => to && assign(to)}>
              Reassign
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
