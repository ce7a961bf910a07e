import type { TestApp } from '../support/test-app';
import { registryProbes } from './registry-probes';
import { staffProbes } from './staff-probes';
import { organizationProbes } from './organization-probes';
import { clientsProbes } from './clients-probes';
import { clientLabelsProbes } from './client-labels-probes';
import { accountsProbes } from './accounts-probes';
import { integrationProbes } from './integration-probes';
import { residentsProbes } from './residents-probes';
import { ticketsProbes } from './tickets-probes';
import { contactCardProbes } from './contact-card-probes';
import { importsProbes } from './imports-probes';
import { Probe } from './probe';

/**
 * Every operation's probe, from the per-module lists. An operation named in two lists is an error here:
 * merged silently, one probe would hide the other and the sweep's "a probe for every operation" check
 * could not see it.
 */
export function probes(app: TestApp): Record<string, Probe> {
  const all: Record<string, Probe> = {};
  for (const list of [
    registryProbes,
    staffProbes,
    organizationProbes,
    clientsProbes,
    clientLabelsProbes,
    accountsProbes,
    integrationProbes,
    residentsProbes,
    ticketsProbes,
    contactCardProbes,
    importsProbes,
  ])
    for (const [operation, probe] of Object.entries(list(app))) {
      if (operation in all) throw new Error(`${operation} has a probe in two lists`);
      all[operation] = probe;
    }
  return all;
}
