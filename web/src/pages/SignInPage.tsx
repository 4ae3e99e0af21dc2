import { Button, Card, Center, Divider, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { ProblemAlert } from '../components/ui.tsx';
import { type Session, useSession } from '../session.tsx';

const DEMO_ROLES: { role: Session['role']; label: string }[] = [
  { role: 'customer', label: 'Dana (customer)' },
  { role: 'seller', label: 'Acme Home (seller)' },
  { role: 'agent', label: 'Claims agent' },
  { role: 'tpa', label: 'Crawford Claims (TPA)' },
  { role: 'expert', label: 'J. Lee (fraud expert)' },
  { role: 'admin', label: 'Operator' },
];

export function SignInPage() {
  const { signInWithKey, signInAsDemo } = useSession();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { apiKey: '' },
    validate: { apiKey: (v) => (v.trim().length >= 8 ? null : 'Enter the personal key you were given') },
  });
  const attempt = (work: () => Promise<void>) => () => {
    setError(null);
    work().catch(setError);
  };
  return (
    <Center mih="100vh" p="md">
      <Card withBorder shadow="sm" w={440} maw="100%" padding="lg">
        <Stack>
          <Title order={2}>Sign in to Redress</Title>
          <ProblemAlert error={error} />
          <form onSubmit={form.onSubmit((v) => attempt(() => signInWithKey(v.apiKey.trim()))())}>
            <Stack>
              <PasswordInput
                label="Personal key"
                autoComplete="current-password"
                {...form.getInputProps('apiKey')}
              />
              <Button type="submit">Sign in</Button>
            </Stack>
          </form>
          <Divider label="Demo marketplace" labelPosition="center" />
          <Text size="sm" c="dimmed">
            One click signs in as a demo party (only when the server runs with --demo).
          </Text>
          <Group gap="xs">
            {DEMO_ROLES.map((d) => (
              <Button key={d.role} variant="light" size="xs" onClick={attempt(() => signInAsDemo(d.role))}>
                {d.label}
              </Button>
            ))}
          </Group>
        </Stack>
      </Card>
    </Center>
  );
}
