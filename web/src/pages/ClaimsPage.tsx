import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/client.ts';
import { type Claim, ClaimList } from '../components/claim/ClaimList.tsx';
import { ProblemAlert } from '../components/ui.tsx';
import { useSession, worksClaims } from '../session.tsx';
import { AgentConsole } from './agent/AgentConsole.tsx';

/** A customer's or a seller's own claims, the oldest deadline first. */
function PartyClaims({ role }: { role: string }) {
  const [claims, setClaims] = useState<Claim[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call(api.GET('/v1/claims', { params: { query: { limit: 200, sort: 'due' } } }))
      .then((page) => setClaims(page.data))
      .catch(setError);
  }, []);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{role === 'seller' ? 'Claims about your products' : 'Your claims'}</Title>
        {role === 'customer' && (
          <Button component={Link} to="/claims/new">
            File a claim
          </Button>
        )}
      </Group>
      <ProblemAlert error={error} />
      {claims && claims.length === 0 && <Text c="gray.7">Nothing here.</Text>}
      {claims && claims.length > 0 && (
        <ClaimList
          claims={claims}
          columns={{ customer: role === 'seller', seller: role !== 'seller', score: false, owner: false }}
        />
      )}
    </Stack>
  );
}

/** Staff work the claims from the agent console; a party sees its own list. */
export function ClaimsPage() {
  const { session } = useSession();
  // A third-party administrator works its marketplaces' claims in the same console.
  const staff = worksClaims(session?.role);
  return staff ? <AgentConsole /> : <PartyClaims role={session?.role ?? 'customer'} />;
}
