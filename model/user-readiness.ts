/** What the readiness check found in one domain of a ring, before the ring's changes. Pure (workflows import it). */
export interface DomainReadiness {
  domain: string;
  /** The AzureADKerberos password replication policy (present false: the default the object will get); absent when not read. */
  policy?: { present: boolean; allowed: string[]; denied: string[] };
  groups: Array<{ name: string; found: boolean; users: number; deniedVia: string | null; deniedUsers: number }>;
  totalUsers: number;
  checked: number;
  ready: number;
  failingCount: number;
  /** The first users who will fail (bounded), each with every reason. */
  failing: Array<{ samAccountName: string; userPrincipalName: string | null; reasons: string[] }>;
  entraChecked: boolean;
  /** Why the domain could not be checked. */
  error?: string;
}

/** How many failing users a domain's readiness keeps for the report and the workflow history. */
export const READINESS_FAILING_LIMIT = 50;
