/** A gate a test opens when it is done looking at what waits behind it (a provider or mail server that hangs). */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}
