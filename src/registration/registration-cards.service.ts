import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClientEntity } from '../clients/client.entity';
import { ClientsService } from '../clients/clients.service';
import { Actor } from '../kernel/actor';
import { ApproveRegistrationInput } from './dto/registration.input';
import { clientFields, namePartsOf, withoutEmpty } from './registration-records';
import { RegistrationRequestEntity } from './registration-request.entity';

/** The card a request attaches: found at once (auto-attach) or when staff approve. */
@Injectable()
export class RegistrationCards {
  constructor(private readonly clients: ClientsService) {}

  /**
   * The card of the person in the request, by the identity rule (ClientsService.create): the same full
   * name with the phone the SMS code proved, else a new card — whose login that phone becomes unless
   * another card signs in with it. The staff's corrections are written over a matched card.
   */
  async cardFor(
    tx: EntityManager,
    actor: Actor,
    request: RegistrationRequestEntity,
    fields: Partial<ApproveRegistrationInput>,
  ): Promise<ClientEntity> {
    const type = fields.type ?? request.clientType;
    const names = namePartsOf(request.fullName, type);
    const corrections = withoutEmpty(clientFields(fields));
    const { client, merged } = await this.clients.createIn(tx, actor, {
      ...names,
      ...corrections,
      type,
      phone: request.phone,
    });
    if (merged && Object.keys(corrections).length) await this.clients.applyFields(tx, actor, client, corrections);
    return client;
  }
}
