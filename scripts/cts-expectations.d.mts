// Types of cts-expectations.mjs, for the tests that import it.
export interface CaseResult {
  case: string;
  status: string;
  ms?: number;
  message: string;
}
export interface Expectation {
  query: string;
  statuses: string[];
  reason: string;
  line?: number;
}
export interface Expectations {
  header: string[];
  entries: Expectation[];
}
export function parseExpectations(text: string, name?: string): Expectations;
export function matcher(entries: Expectation[]): (name: string) => Expectation | undefined;
export function compare(
  results: CaseResult[],
  expectations: Expectations,
): { expected: CaseResult[]; unexpected: CaseResult[]; nowPass: (CaseResult & { expected: string })[] };
export function updateExpectations(expectations: Expectations, results: CaseResult[]): string;
