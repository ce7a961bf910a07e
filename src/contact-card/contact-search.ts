import { Injectable } from '@nestjs/common';
import { ClientSearch } from '../clients/client-search';
import { EmployeesService } from '../organizations/employees.service';
import { TicketCallersService } from '../tickets/ticket-callers.service';
import { Contact, fromCaller, fromClient, fromEmployee } from './contact';
import { phonePart } from './phone-resolver';

/** The dispatcher's phone typeahead over every kind of contact. */
@Injectable()
export class ContactSearch {
  constructor(
    private readonly clients: ClientSearch,
    private readonly callers: TicketCallersService,
    private readonly employees: EmployeesService,
  ) {}

  /**
   * Typeahead: clients first (surname order), then callers without a card, then staff. Callers and
   * staff are looked for only when the clients leave room on the page: they would not be shown.
   */
  async search(organizationId: string, query: string, first: number): Promise<Contact[]> {
    const part = phonePart(query);
    if (!part) return [];
    const others = (limit: number) =>
      Promise.all([
        // A caller whose phone now belongs to a client card is that client.
        // (the phone resolver's rule: a phone on a card, login or contact phone, is that card's)
        this.callers.search(
          organizationId,
          part,
          limit,
          (org, phone) => this.clients.phoneOnCardSql(org, phone),
          (org, phone) => this.clients.onContactPhoneSql(org, phone),
        ),
        this.employees.findByPhonePart(organizationId, part, limit),
      ]);
    // Callers and staff come after the cards, so they are read only when the cards leave room; when few
    // cards even contain the digits (most runs of six and more), they are read alongside the cards.
    const early = this.clients.fewCardsContain(organizationId, part.contains, first) ? others(first) : null;
    early?.catch(() => undefined);
    const clients = (await this.clients.findByPhonePart(organizationId, part, first)).map(fromClient);
    const room = first - clients.length;
    if (room <= 0) return clients;
    const [callers, employees] = await (early ?? others(room));
    return [...clients, ...callers.map(fromCaller), ...employees.map(fromEmployee)].slice(0, first);
  }
}
