import { Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client.ts';
import type { components } from '../../api/schema.ts';
import { Money, ProblemAlert } from '../../components/ui.tsx';

type Policy = components['schemas']['InsurancePolicy'];

/** Policies on file waiting for verification: the insurer that issued one (or staff) verifies or rejects it. */
export function PoliciesPage() {
  const [policies, setPolicies] = useState<Policy[] | null>(null);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    call(
      api.GET('/v1/insurance-policies', {
        params: { query: { status: 'pending_verification', limit: 200 } },
      }),
    )
      .then((r) => setPolicies(r.data))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const decide = async (p: Policy, decision: 'verified' | 'rejected') => {
    setError(null);
    try {
      await call(
        api.POST('/v1/insurance-policies/{id}/verification', {
          params: { path: { id: p.id } },
          body: decision === 'verified' ? { decision } : { decision, reason: reason[p.id] ?? '' },
        }),
      );
      setDone(`Policy ${p.policyNumber} ${decision}.`);
      load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Stack>
      <Title order={2}>Policies to verify</Title>
      <ProblemAlert error={error} />
      {done && <Text data-testid="policy-decided">{done}</Text>}
      {policies?.length === 0 && <Text c="dimmed">No policies waiting.</Text>}
      {policies?.map((p) => (
        <Card key={p.id} withBorder data-testid={`policy-${p.id}`}>
          <Group justify="space-between" align="start">
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={600}>
                  {p.policyNumber} · seller {p.sellerId}
                </Text>
                <Badge variant="light">{p.status.replace(/_/g, ' ')}</Badge>
              </Group>
              <Text size="sm">
                <Money value={p.perOccurrence} /> per occurrence, <Money value={p.aggregate} /> aggregate,
                deductible <Money value={p.deductible} />
                {p.additionalInsured ? '; the marketplace is additional insured' : ''}
              </Text>
              <Text size="sm" c="dimmed">
                {new Date(p.effectiveFrom).toLocaleDateString()} to{' '}
                {new Date(p.expiresAt).toLocaleDateString()}
                {p.shortfalls.length > 0 &&
                  ` · short of the programme: ${p.shortfalls.map((s) => s.detail).join('; ')}`}
              </Text>
              {p.certificate && (
                <a href={`/v1/insurance-policies/${p.id}/certificate`}>The certificate of insurance</a>
              )}
            </Stack>
            <Stack gap="xs" w={340}>
              <Textarea
                label="Reason (to reject)"
                size="xs"
                value={reason[p.id] ?? ''}
                onChange={(e) => setReason({ ...reason, [p.id]: e.currentTarget.value })}
              />
              <Group gap="xs">
                <Button size="xs" color="green" onClick={() => void decide(p, 'verified')}>
                  Verify
                </Button>
                <Button size="xs" color="red" variant="light" onClick={() => void decide(p, 'rejected')}>
                  Reject
                </Button>
              </Group>
            </Stack>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
