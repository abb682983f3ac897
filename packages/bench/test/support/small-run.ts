/** Flags of a bench run with tiny counts: enough to check the results' shape, never speed. */
export function smallRun(provider: string): string[] {
  return [
    '--provider',
    provider,
    '--ops',
    '40',
    '--warmup',
    '4',
    '--docs',
    '60',
    // One call per operation is enough to check the shape (64 by default).
    '--min-calls',
    '1',
    '--bulk-docs',
    '30',
    // Two pages of listAll's 1000.
    '--list-docs',
    '1200',
  ];
}
