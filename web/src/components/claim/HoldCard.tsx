import { Button, Card, Group, Select, Stack, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components, paths } from '../../api/schema.ts';
import { ProblemAlert } from '../ui.tsx';
import { useAction } from './use-action.ts';

type Claim = components['schemas']['Claim'];
type HoldDecision = NonNullable<
  paths['/v1/claims/{id}/payout-hold']['post']['requestBody']
>['content']['application/json'];
type CancelCode = Extract<HoldDecision, { action: 'cancel' }>['reason'];

const CODES: CancelCode[] = ['unsubstantiated', 'frivolous', 'abusive', 'duplicate'];

/** A payout held on a flag raised after approval: release it or cancel it, with a reason. */
export function HoldCard({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { error, busy, run } = useAction(onDone);
  const [reason, setReason] = useState('');
  const [code, setCode] = useState<CancelCode | null>(null);
  if (!claim.actions.some((a) => a.name === 'resolve_hold')) return null;
  const send = (body: HoldDecision) =>
    run(() => call(api.POST('/v1/claims/{id}/payout-hold', { params: { path: { id: claim.id } }, body })));
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={4}>Payout held</Title>
        <ProblemAlert error={error} />
        <Textarea
          label="Why (release) or a note (cancel)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Select
          label="Reason code to cancel"
          placeholder="Choose a reason code"
          data={CODES.map((c) => ({ value: c, label: c.replace(/_/g, ' ') }))}
          value={code}
          onChange={(v) => setCode(v as CancelCode | null)}
        />
        <Group>
          <Button loading={busy} onClick={() => send({ action: 'release', reason })}>
            Release the payout
          </Button>
          <Button
            color="red"
            variant="light"
            disabled={!code}
            loading={busy}
            onClick={() =>
              code && send({ action: 'cancel', reason: code, ...(reason ? { note: reason } : {}) })
            }
          >
            Cancel the payout
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
