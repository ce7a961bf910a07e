import { insertRows, updateRows } from '../database/bulk';
import { randomUUID } from 'node:crypto';
import { escapeLike } from '../common/sql/escape-like';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../kernel/actor';
import { AuditEntityType } from '../audit/audit-enums';
import { AuditService, changedFields } from '../audit/audit.service';
import { BadInputException, ConflictException, NotFoundException } from '../common/errors/domain.exception';
import { FieldError } from '../common/errors/error-code';
import { ConnectionShape, PageArgs } from '../common/pagination/connection';
import { KeysetColumn, keysetCodec, paginate } from '../common/pagination/keyset';
import { requireOrganization } from '../common/tenancy/require-organization';
import { isUuid } from '../common/validation/is-uuid-or-not-found';
import { normalizePassportSeries } from '../common/validation/passport';
import { isSelectivePhonePart, normalizePhone, phoneDigits } from '../common/validation/phone';
import { containsPhonePartSql, QUADGRAM_MIN_DIGITS } from '../common/validation/phone-quadgrams';
import { normalizeSnils } from '../common/validation/snils';
import { ExternalEntityType } from '../external-ids/external-id-enums';
import { ExternalIdsService, ExternalIdValue } from '../external-ids/external-ids.service';
import { ClientStatus, ClientType } from './client-enums';
import { PhoneDigitsDensity } from './phone-digits-density';
import { fullName, nameKey, surnameKey, surnamePrefixKey } from './client-names';
import { CardRuleBreak, innTypeMismatch, missingNames } from './client-rules';
import { assignPhones, matchIdentity, phonesOf, SharedPhone } from './client-identity';
import { ClientEntity } from './client.entity';
import { ClientFieldsInput, ClientFilter, CreateClientInput, UpdateClientInput } from './dto/client.input';
import { ClientSearchExtension } from './client-extensions';
import { DomainEvents, PhonesGained } from '../kernel/events';
import { readEntitiesByKeys } from '../database/entity-reads';
import { lockMergePair } from './merge-pair';
import { JsonPart, jsonRowsPart, readJsonRows } from '../database/json-reads';
import { andWhereSql, raw, runSql, sql, Sql } from '../common/sql/sql';

export const CLIENT = { ru: 'Клиент', en: 'Client' };

/** Card fields an audit entry compares (everything a person can change). */
export const AUDITED_FIELDS = [
  'status',
  'type',
  'tester',
  'lastName',
  'firstName',
  'middleName',
  'organizationName',
  'gender',
  'birthDate',
  'phone',
  'extraPhones',
  'email',
  'note',
  'passportSeries',
  'passportNumber',
  'passportIssuedBy',
  'passportIssuedOn',
  'passportComment',
  'registrationAddress',
  'postalIndex',
  'addressComment',
  'inn',
  'snils',
  'loyaltyCardNumber',
] as const;

/** What an import row sets on a card. */
type ImportValues = Partial<Pick<ClientEntity, 'type' | 'phone' | 'extraPhones'>> & Partial<ClientFieldsInput>;
type CardFields = Partial<Pick<ClientEntity, (typeof AUDITED_FIELDS)[number]>>;
const BULK_COLUMNS = [...AUDITED_FIELDS, 'phoneDigits', 'surnameKey', 'nameKey'] as const;
const EDITABLE = AUDITED_FIELDS.filter((f) => f !== 'status' && f !== 'phone' && f !== 'type');

function snapshot(client: ClientEntity): Record<string, unknown> {
  return Object.fromEntries(AUDITED_FIELDS.map((f) => [f, client[f]]));
}

/** Values as stored: trimmed text, empty text as null, identifiers in their canonical form. */
function canonical(input: Partial<ClientFieldsInput>): CardFields {
  const out: Record<string, unknown> = {};
  for (const field of EDITABLE) {
    const value = (input as Record<string, unknown>)[field];
    if (value === undefined) continue;
    out[field] = typeof value === 'string' ? value.trim() || null : value;
  }
  if (typeof out.email === 'string') out.email = out.email.toLowerCase();
  if (typeof out.passportSeries === 'string') out.passportSeries = normalizePassportSeries(out.passportSeries);
  if (typeof out.snils === 'string') out.snils = normalizeSnils(out.snils);
  if (Array.isArray(out.extraPhones))
    out.extraPhones = [...new Set((out.extraPhones as string[]).map((p) => normalizePhone(p)!).filter(Boolean))];
  return out as CardFields;
}

/** Rules that span fields: which name a type needs and which INN length fits it. */
function assertCoherent(card: ClientEntity, path = 'input'): void {
  const errors: FieldError[] = [...missingNames(card), innTypeMismatch(card.type, card.inn)]
    .filter((rule): rule is CardRuleBreak => rule !== null)
    .map((rule) => ({ path: `${path}.${rule.field}`, message: rule.ru, messageEn: rule.en }));
  if (card.phone && card.extraPhones.includes(card.phone)) {
    errors.push({
      path: `${path}.extraPhones`,
      message: 'основной телефон не нужно повторять в дополнительных',
      messageEn: 'the main phone is repeated among extra phones',
    });
  }
  if (errors.length) throw new BadInputException(errors);
}

/** Copies the given values into the card's empty fields only (the identity rule and merges never overwrite). */
function fillEmptyFields(card: ClientEntity, fields: CardFields): void {
  const target = card as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(fields)) {
    const current = target[field];
    const empty = current === null || current === undefined || (Array.isArray(current) && current.length === 0);
    if (empty && value !== null && value !== undefined) target[field] = value;
  }
}

function withKeys(card: ClientEntity): ClientEntity {
  card.nameKey = nameKey(card);
  card.surnameKey = surnameKey(card);
  card.phoneDigits = [card.phone, ...card.extraPhones]
    .filter(Boolean)
    .map((p) => phoneDigits(p!))
    .join(' ');
  return card;
}

function phoneTaken(phone: string, owner: ClientEntity): ConflictException {
  return new ConflictException(
    {
      ru: `Телефон ${phone} уже указан у клиента ${fullName(owner)}`,
      en: `Phone ${phone} already belongs to client ${fullName(owner)}`,
    },
    [
      {
        path: 'input.phone',
        message: `телефон принадлежит клиенту ${fullName(owner)}`,
        messageEn: 'phone belongs to another client',
      },
    ],
  );
}

/** A phone put on a card as a contact phone because another card signs in with it. */
export interface SharedPhoneNotice {
  phone: string;
  loginClientId: string;
  loginClientName: string;
}

export interface CreateResult {
  client: ClientEntity;
  merged: boolean;
  sharedPhones: SharedPhoneNotice[];
}

/** The client list's order: surname, then id. `surnameSql` varies by plan (see list) but orders alike. */
function clientListKeys(surnameSql: string): KeysetColumn<ClientEntity>[] {
  return [
    { sql: surnameSql, name: 'surname_key', kind: 'text', value: (c) => c.surnameKey },
    { sql: 'c.id', kind: 'uuid', value: (c) => c.id },
  ];
}

@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly externalIds: ExternalIdsService,
    private readonly phoneDensity: PhoneDigitsDensity,
    private readonly events: DomainEvents,
  ) {}

  async get(manager: EntityManager, organizationId: string, id: string, path?: string): Promise<ClientEntity> {
    requireOrganization(organizationId);
    const client = isUuid(id) ? await manager.getRepository(ClientEntity).findOneBy({ organizationId, id }) : null;
    if (!client) throw new NotFoundException(CLIENT, id, path);
    return client;
  }

  /** The card whose id `id` yields, for a statement that reads it with other things. */
  cardPart(organizationId: string, id: Sql): JsonPart<ClientEntity> {
    return jsonRowsPart(
      this.dataSource.getMetadata(ClientEntity),
      'c',
      sql`c.organization_id = ${organizationId} AND c.id = ${id}`,
    );
  }

  /** The id of the card whose id `id` yields, NULL when there is no such card (a contact key's client id). */
  idSql(organizationId: string, id: Sql): Sql {
    return sql`(SELECT c.id FROM client c WHERE c.organization_id = ${organizationId} AND c.id = ${id})`;
  }

  /** The ids of the cards carrying the phone (E.164) as login or contact phone, as a row set (uq_client_phone, ix_client_extra_phones). */
  idsByAnyPhoneSql(organizationId: string, phone: string): Sql {
    return sql`SELECT c.id FROM client c WHERE c.organization_id = ${organizationId} AND (c.phone = ${phone}::text OR c.extra_phones @> ARRAY[${phone}::text])`;
  }

  /** The card's phones, main first, as a text[] (a contact key's phones); NULL when there is no such card. */
  phonesSql(organizationId: string, id: Sql): Sql {
    return sql`(SELECT ARRAY(SELECT x FROM unnest(array_prepend(c.phone, c.extra_phones)) WITH ORDINALITY AS u(x, n) WHERE x <> '' ORDER BY n)
               FROM client c WHERE c.organization_id = ${organizationId} AND c.id = ${id})`;
  }

  /** The main phone of the card whose id `id` yields (NULL when there is none). */
  mainPhoneSql(organizationId: string, id: Sql): Sql {
    return sql`(SELECT c.phone FROM client c WHERE c.organization_id = ${organizationId} AND c.id = ${id})`;
  }

  async getMany(organizationId: string, ids: readonly string[]): Promise<Map<string, ClientEntity>> {
    requireOrganization(organizationId);
    const rows = await readEntitiesByKeys(this.dataSource, ClientEntity, organizationId, 'id', ids.filter(isUuid));
    return new Map(rows.map((c) => [c.id, c]));
  }

  /**
   * The card a caller's phone means (the phone resolver's rule, contact-card/phone-resolver.ts): the one
   * card carrying it as login or contact phone; none when no card or several (a shared phone) carry it.
   */
  async onlyCardWithPhone(manager: EntityManager, organizationId: string, phone: string): Promise<ClientEntity | null> {
    requireOrganization(organizationId);
    const cards = await readJsonRows(
      manager,
      ClientEntity,
      'k',
      sql`k.organization_id = ${organizationId} AND k.id IN (${this.idsByAnyPhoneSql(organizationId, phone)})`,
    );
    return cards.length === 1 ? cards[0] : null;
  }

  async findByPhone(manager: EntityManager, organizationId: string, phone: string): Promise<ClientEntity | null> {
    return manager.getRepository(ClientEntity).findOneBy({ organizationId, phone });
  }

  /**
   * The cards that sign in with this phone, in every organization: what a resident signed in with it may
   * see. Only the login phone counts: a contact (extra) phone of a card — a relative's, an office's —
   * opens nothing in the resident app.
   */
  async findInAllOrganizationsByLoginPhone(phone: string): Promise<ClientEntity[]> {
    return this.dataSource.getRepository(ClientEntity).find({ where: { phone, status: ClientStatus.ACTIVE } });
  }

  /**
   * Whether fewer than `limit` cards are expected to contain the digits, so that a phone typeahead
   * should look for other contacts at once rather than after the cards; undefined until the
   * organization's digit sample is read.
   */
  fewCardsContain(organizationId: string, digits: string, limit: number): boolean | undefined {
    const many = this.phoneDensity.expectsAtLeast(organizationId, digits, limit);
    return many === undefined ? undefined : !many;
  }

  /**
   * Phone typeahead: cards whose main phone starts with the typed beginning, in phone order (a range of
   * ix_client_phone_prefix), then, if the page is not full yet, cards whose phones contain the digits,
   * in list order. Three digits match about one card in a hundred (so do "79" and two more): the surname
   * index is walked testing the digits it carries until the page is full. Rarer parts are found by the
   * quadgram index (trigram for three digits) and the first matches it yields make the page: a typeahead offers a few numbers to
   * pick from, and sorting every match first (800 cards for four digits at 1M) cost 3–11 ms.
   */
  async findByPhonePart(
    organizationId: string,
    part: { contains: string; startsWith: string | null },
    limit: number,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    const startingPage = () =>
      this.dataSource
        .getRepository(ClientEntity)
        .createQueryBuilder('c')
        .where('c.organization_id = :organizationId AND (c.phone_digits COLLATE "C") LIKE :prefix', {
          organizationId,
          prefix: `${part.startsWith}%`,
        })
        .orderBy('(c.phone_digits COLLATE "C")')
        .limit(limit)
        .getMany();
    // The beginnings answer first, and alone when they fill the page; when few cards even contain the
    // digits they cannot, and both are read at once rather than one round trip after the other.
    if (part.startsWith && !this.fewCardsContain(organizationId, part.contains, limit)) {
      const starting = await startingPage();
      if (starting.length >= limit) return starting;
      return this.mergePhoneMatches(
        starting,
        await this.containingPhonePart(organizationId, part.contains, limit),
        limit,
      );
    }
    const [starting, containing] = await Promise.all([
      part.startsWith ? startingPage() : [],
      this.containingPhonePart(organizationId, part.contains, limit),
    ]);
    return this.mergePhoneMatches(starting, containing, limit);
  }

  private mergePhoneMatches(starting: ClientEntity[], containing: ClientEntity[], limit: number): ClientEntity[] {
    const seen = new Set<string>();
    return [...starting, ...containing].filter((c) => !seen.has(c.id) && seen.add(c.id)).slice(0, limit);
  }

  private containingPhonePart(organizationId: string, contains: string, limit: number): Promise<ClientEntity[]> {
    const pattern = `%${contains}%`;
    const matches = this.walksFor(organizationId, contains, limit)
      ? // The walk reads the index alone (it carries the digits); whole rows are read for the page only.
        sql`c.id = ANY(ARRAY(SELECT i.id FROM client i WHERE i.organization_id = ${organizationId} AND (i.phone_digits || '') LIKE ${pattern} ORDER BY i.surname_key, i.id LIMIT ${limit}))`
      : // Materialized, the matches come from the quadgram (or, for three digits, trigram) index: under the
        // LIMIT the planner would scan the table instead, counting on its guess of how many rows match
        // ('%96085%': 8,081 of 1M; 70 really, 43,613 rows read, 8 ms against 1.5 ms).
        sql`c.id = ANY(ARRAY(WITH m AS MATERIALIZED (SELECT i.id FROM client i WHERE i.organization_id = ${organizationId} AND ${
          contains.length >= QUADGRAM_MIN_DIGITS
            ? containsPhonePartSql(raw('i.phone_digits'), contains)
            : sql`i.phone_digits LIKE ${pattern}`
        }) SELECT id FROM m LIMIT ${limit}))`;
    const query = this.dataSource
      .getRepository(ClientEntity)
      .createQueryBuilder('c')
      .where('c.organization_id = :organizationId', { organizationId });
    return andWhereSql(query, matches).orderBy('c.surname_key').addOrderBy('c.id').getMany();
  }

  /**
   * SQL true when `phone` (an E.164 expression of a row in `organization`) is a client card's login
   * phone. A scalar subquery rather than EXISTS: it stays a per-row filter, so a LIMITed walk of an
   * ordered index is not turned into an anti-join over every candidate. (Contact phones: onContactPhoneSql,
   * for the few rows of a page only.)
   */
  phoneOnCardSql(organization: Sql, phone: Sql): Sql {
    return sql`coalesce((SELECT true FROM client card WHERE card.organization_id = ${organization} AND card.phone = ${phone} LIMIT 1), false)`;
  }

  /**
   * SQL true when a card carries `phone` as a contact phone. A count, not `LIMIT 1`: under a LIMIT the
   * planner reckons a scan of the table meets one of its guessed 0.5 % of matches soon, where the GIN index
   * (ix_client_extra_phones) answers at once (140 ms → 0.1 ms at 160,000 cards). That guess also makes the
   * probe cost ~2,000: kept to a page's rows, or a walk of thousands would cross jit_above_cost.
   */
  onContactPhoneSql(organization: Sql, phone: Sql): Sql {
    return sql`((SELECT count(*) FROM client card WHERE card.organization_id = ${organization} AND card.extra_phones @> ARRAY[${phone}::text]) > 0)`;
  }

  /** Ids of the cards carrying this phone (E.164), login or contact phone: the phone resolver's cards. */
  async idsWithPhone(manager: EntityManager, organizationId: string, phone: string): Promise<string[]> {
    const rows = await runSql<{ id: string }>(
      manager,
      this.idsByAnyPhoneSql(requireOrganization(organizationId), phone),
    );
    return rows.map((r) => r.id);
  }

  /**
   * Whether a partial-phone search should walk the surname index (digits many cards contain) rather
   * than take the quadgram (or trigram) bitmap: the organization's sampled digit histogram decides; until it is
   * read, how mobile numbers are shaped does ("79" and two digits are common).
   */
  private walksFor(organizationId: string, digits: string, pageSize: number): boolean {
    return this.phoneDensity.prefersWalk(organizationId, digits, pageSize) ?? !isSelectivePhonePart(digits);
  }

  /** `related`: the conditions of the filter's fields over other modules' tables (premises, account number), from those modules. */
  async list(
    actor: Actor,
    filter: ClientFilter | undefined,
    page: PageArgs,
    withTotal: boolean,
    related: readonly ClientSearchExtension[] = [],
  ): Promise<ConnectionShape<ClientEntity>> {
    requireOrganization(actor.organizationId);
    const query = this.dataSource
      .getRepository(ClientEntity)
      .createQueryBuilder('c')
      .where('c.organization_id = :organizationId', { organizationId: actor.organizationId });
    const search = filter?.search?.trim();
    const searchDigits = search?.replace(/[\s()+\-.]/g, '');
    const phone = filter?.phone ?? (search && /^\d{3,}$/.test(searchDigits ?? '') ? search : undefined);
    let walkDigits = false;
    const prefix = filter?.surnamePrefix ?? (search && phone === undefined ? search : undefined);
    if (prefix?.trim())
      query.andWhere('c.surname_key LIKE :prefix', { prefix: `${escapeLike(surnamePrefixKey(prefix))}%` });
    if (phone !== undefined) {
      let digits = phone.replace(/\D/g, '');
      // "8 916…" is how people write +7 916…: the stored digits start with 7.
      if (digits.length === 11 && digits.startsWith('8')) digits = `7${digits.slice(1)}`;
      if (digits.length < 3)
        throw BadInputException.field(
          'filter.phone',
          'введите не меньше 3 цифр телефона',
          'type at least 3 digits of the phone',
        );
      walkDigits = this.walksFor(actor.organizationId, digits, page.first);
      if (walkDigits || digits.length < QUADGRAM_MIN_DIGITS)
        query.andWhere('c.phone_digits LIKE :digits', { digits: `%${digits}%` });
      else andWhereSql(query, containsPhonePartSql(raw('c.phone_digits'), digits));
    }
    if (filter?.status) query.andWhere('c.status = :status', { status: filter.status });
    if (filter?.type) query.andWhere('c.type = :type', { type: filter.type });
    (filter?.tagIds ?? []).forEach((tagId, index) => {
      query.andWhere(
        `EXISTS (SELECT 1 FROM client_tag ct WHERE ct.organization_id = c.organization_id AND ct.client_id = c.id AND ct.tag_id = :tag_${index})`,
        {
          [`tag_${index}`]: isUuid(tagId) ? tagId : '00000000-0000-0000-0000-000000000000',
        },
      );
    });
    if (filter?.externalId) {
      andWhereSql(
        query,
        this.externalIds.carriesValueSql('c', ExternalEntityType.CLIENT, filter.externalId.trim(), actor.space),
      );
    }
    for (const condition of related) andWhereSql(query, condition('c'));
    const onlyPhone = Object.entries(filter ?? {}).every(
      ([key, value]) => value === undefined || value === null || key === 'phone' || key === 'search',
    );
    if (walkDigits && onlyPhone) {
      // Digits found in many cards: rather than fetch and sort them all, walk the surname index in
      // list order testing the digits kept in the index itself, until a page is full.
      const after = page.after ? keysetCodec(clientListKeys('c.surname_key')).decode(page.after) : null;
      query.andWhere(
        `c.id IN (SELECT i.id FROM client i WHERE i.organization_id = :organizationId AND (i.phone_digits || '') LIKE :digits
           ${after ? 'AND (i.surname_key, i.id) > (:shortAfterKey, :shortAfterId)' : ''}
           ORDER BY i.surname_key, i.id LIMIT :shortLimit)`,
        { shortAfterKey: after?.[0], shortAfterId: after?.[1], shortLimit: page.first + 1 },
      );
    }
    // Rare digits: the planner guesses the share of a '%digits%' pattern from a 100-value histogram and
    // sometimes walks the surname index through hundreds of thousands of rows (0.5 s, measured by
    // bench/clients.ts). An order the index cannot serve leaves it one plan: a quadgram (three digits:
    // trigram) bitmap, then a sort of the few matches.
    const surnameOrder = phone !== undefined && !walkDigits ? "(c.surname_key || '')" : 'c.surname_key';
    return paginate(query, page, clientListKeys(surnameOrder), withTotal);
  }

  /**
   * A new card, unless the identity rule (client-identity.ts) finds the same person — an external id of
   * theirs, or the same full name with any of their phones, whichever CRM space created them — in which
   * case the input fills the existing card's empty fields and adds its phones. A phone another card signs
   * in with stays on a new card as a contact phone (`sharedPhones` says whose login it is).
   */
  async create(actor: Actor, input: CreateClientInput): Promise<CreateResult> {
    return this.dataSource.transaction((tx) => this.createIn(tx, actor, input));
  }

  /** create, in the caller's transaction. */
  async createIn(manager: EntityManager, actor: Actor, input: CreateClientInput): Promise<CreateResult> {
    requireOrganization(actor.organizationId);
    const run = async (tx: EntityManager): Promise<CreateResult> => {
      const phone = input.phone ? normalizePhone(input.phone) : null;
      const { extraPhones: listedExtra, ...fields } = canonical(input);
      const phones = [...new Set([...(phone ? [phone] : []), ...(listedExtra ?? [])])];
      const card = withKeys(
        Object.assign(new ClientEntity(), {
          tester: false,
          ...fields,
          type: input.type,
          phone,
          extraPhones: listedExtra ?? [],
          status: ClientStatus.ACTIVE,
          organizationId: actor.organizationId,
        }),
      );
      assertCoherent(card);
      const candidates = await this.identityCandidates(tx, actor.organizationId, phones, [card.nameKey]);
      const loginOwnerOf = (p: string) => candidates.find((c) => c.phone === p)?.id;
      const externalMatchId = await this.externalMatch(tx, actor, input.externalIds ?? []);
      const match = matchIdentity({ nameKey: card.nameKey, phones }, { externalMatchId, cardsWithPhones: candidates });
      let result: CreateResult;
      if (match.by !== 'none') {
        const existing =
          candidates.find((c) => c.id === match.clientId) ?? (await this.get(tx, actor.organizationId, match.clientId));
        const assigned = assignPhones(existing.id, existing.phone, [...existing.extraPhones, ...phones], loginOwnerOf);
        result = {
          client: await this.fillEmpty(tx, actor, existing, { ...fields, phone: assigned.login }, assigned.extra),
          merged: true,
          sharedPhones: this.sharedWith(assigned.shared, candidates, existing),
        };
      } else {
        const assigned = assignPhones(card.id ?? '', null, phones, loginOwnerOf);
        Object.assign(card, { phone: assigned.login, extraPhones: assigned.extra });
        const saved = await tx.getRepository(ClientEntity).save(withKeys(card));
        await this.audit.record(tx, actor, [
          { entityType: AuditEntityType.CLIENT, entityId: saved.id, action: 'created', after: snapshot(saved) },
        ]);
        await this.phonesGained(tx, actor, saved, []);
        result = { client: saved, merged: false, sharedPhones: this.sharedWith(assigned.shared, candidates, saved) };
      }
      for (const id of input.externalIds ?? [])
        await this.addExternalId(tx, actor, result.client.id, { ...id, space: actor.space });
      return result;
    };
    // A phone given to another card by a request running at the same time is answered by
    // database-errors.ts (uq_client_phone → CONFLICT on input.phone).
    return run(manager);
  }

  /**
   * The cards the identity rule weighs for one person's phones and name: those signing in with one of the
   * phones (login owners), and those of that name carrying one of them as a contact phone. Two index
   * probes (uq_client_phone, ix_client_identity) in one statement: an OR of the two is a table scan.
   */
  async identityCandidates(
    manager: EntityManager,
    organizationId: string,
    phones: readonly string[],
    nameKeys: readonly string[],
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!phones.length) return [];
    const [cardPhones, names] = [[...phones], [...new Set(nameKeys)]];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.id IN (
        SELECT l.id FROM client l WHERE l.organization_id = ${organizationId} AND l.phone = ANY(${cardPhones}::text[])
        UNION ALL SELECT x.id FROM client x WHERE x.organization_id = ${organizationId} AND x.name_key = ANY(${names}::text[]) AND x.extra_phones && ${cardPhones}::text[])`,
    );
  }

  /** Cards whose login phone is one of these (E.164); `lock` as for findByIdsIn. */
  async findByLoginPhones(
    manager: EntityManager,
    organizationId: string,
    phones: readonly string[],
    lock = false,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!phones.length) return [];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.phone = ANY(${[...phones]}::text[])`,
      { lock },
    );
  }

  /** Cards of these names carrying one of these phones as a contact phone (ix_client_identity); `lock` as for findByIdsIn. */
  async findByNamesAndContactPhones(
    manager: EntityManager,
    organizationId: string,
    nameKeys: readonly string[],
    phones: readonly string[],
    lock = false,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!phones.length || !nameKeys.length) return [];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.name_key = ANY(${[...new Set(nameKeys)]}::text[]) AND c.extra_phones && ${[...new Set(phones)]}::text[]`,
      { lock },
    );
  }

  /** The card one of these identifiers (of the actor's space, as a form gives them) already points to. */
  private async externalMatch(
    tx: EntityManager,
    actor: Actor,
    ids: readonly { system: string; value: string }[],
  ): Promise<string | null> {
    if (!ids.length) return null;
    const found = await this.externalIds.resolveMany(
      tx,
      actor.organizationId,
      ExternalEntityType.CLIENT,
      ids.map((id) => ({ space: actor.space, system: id.system.trim(), value: id.value.trim() })),
    );
    return found.values().next().value ?? null;
  }

  private sharedWith(
    shared: readonly SharedPhone[],
    candidates: readonly ClientEntity[],
    card: ClientEntity,
  ): SharedPhoneNotice[] {
    return shared.flatMap(({ phone, loginOwnerId }) => {
      const owner = candidates.find((c) => c.id === loginOwnerId);
      return owner && owner.id !== card.id
        ? [{ phone, loginClientId: owner.id, loginClientName: fullName(owner) }]
        : [];
    });
  }

  /** Someone's phones joined the card: ClientPhonesGained's subscribers (the tickets filed from them) follow, in this transaction. */
  private async phonesGained(
    tx: EntityManager,
    actor: Actor,
    card: ClientEntity,
    before: readonly string[],
  ): Promise<void> {
    const phones = phonesOf(card).filter((p) => !before.includes(p));
    if (phones.length) await this.announcePhonesGained(tx, actor, [{ clientId: card.id, phones }]);
  }

  /** For writers that save cards in bulk (the import): the cards' new phones, after the cards are written. */
  async announcePhonesGained(tx: EntityManager, actor: Actor, gained: readonly PhonesGained[]): Promise<void> {
    const nonEmpty = gained.filter((g) => g.phones.length);
    if (!nonEmpty.length) return;
    await this.events.publish('ClientPhonesGained', { tx, actor, gained: nonEmpty });
  }

  private async fillEmpty(
    tx: EntityManager,
    actor: Actor,
    client: ClientEntity,
    fields: CardFields,
    extraPhones: string[],
  ): Promise<ClientEntity> {
    const before = snapshot(client);
    const phonesBefore = phonesOf(client);
    fillEmptyFields(client, fields);
    client.extraPhones = extraPhones.filter((p) => p !== client.phone);
    withKeys(client);
    const diff = changedFields(before, snapshot(client), AUDITED_FIELDS);
    if (diff) await tx.getRepository(ClientEntity).save(client);
    await this.audit.record(tx, actor, [
      {
        entityType: AuditEntityType.CLIENT,
        entityId: client.id,
        action: 'identity_matched',
        before: diff?.before,
        after: diff?.after,
      },
    ]);
    await this.phonesGained(tx, actor, client, phonesBefore);
    return client;
  }

  /**
   * Overwrites the given fields (undefined keeps a field, null clears it), including the phone when
   * no other client has it; audits and saves only when something changed. For the integration API and imports.
   */
  async applyFields(
    tx: EntityManager,
    actor: Actor,
    client: ClientEntity,
    input: Partial<CreateClientInput>,
  ): Promise<boolean> {
    const before = snapshot(client);
    const phonesBefore = phonesOf(client);
    Object.assign(client, canonical(input), input.type ? { type: input.type } : {});
    if (input.phone !== undefined) {
      const phone = input.phone ? normalizePhone(input.phone) : null;
      if (phone && phone !== client.phone) {
        const owner = await this.findByPhone(tx, actor.organizationId, phone);
        if (owner && owner.id !== client.id) throw phoneTaken(phone, owner);
      }
      client.phone = phone;
      client.extraPhones = client.extraPhones.filter((p) => p !== phone);
    }
    withKeys(client);
    assertCoherent(client);
    const diff = changedFields(before, snapshot(client), AUDITED_FIELDS);
    if (!diff) return false;
    await tx.getRepository(ClientEntity).save(client);
    await this.audit.record(tx, actor, [
      { entityType: AuditEntityType.CLIENT, entityId: client.id, action: 'updated', ...diff },
    ]);
    await this.phonesGained(tx, actor, client, phonesBefore);
    return true;
  }

  /** The card's fields except the phone, which only changeClientPhone touches. */
  async update(actor: Actor, input: UpdateClientInput): Promise<ClientEntity> {
    return this.dataSource.transaction(async (tx) => {
      const client = await this.get(tx, actor.organizationId, input.id, 'input.id');
      const { id: _id, ...fields } = input;
      await this.applyFields(tx, actor, client, fields);
      return client;
    });
  }

  async setStatus(actor: Actor, id: string, status: ClientStatus, reason?: string | null): Promise<ClientEntity> {
    return this.dataSource.transaction(async (tx) => {
      const client = await this.get(tx, actor.organizationId, id, 'input.id');
      if (client.status === status) return client;
      const before = { status: client.status };
      client.status = status;
      const saved = await tx.getRepository(ClientEntity).save(client);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.CLIENT,
          entityId: id,
          action: status === ClientStatus.BLOCKED ? 'blocked' : 'unblocked',
          before,
          after: { status, reason: reason ?? null },
        },
      ]);
      return saved;
    });
  }

  async changePhone(actor: Actor, id: string, rawPhone: string | null): Promise<ClientEntity> {
    const phone = rawPhone ? normalizePhone(rawPhone) : null;
    return this.dataSource.transaction(async (tx) => {
      const client = await this.get(tx, actor.organizationId, id, 'input.id');
      if (client.phone === phone) return client;
      const owner = phone ? await this.findByPhone(tx, actor.organizationId, phone) : null;
      if (owner) throw phoneTaken(phone!, owner);
      const before = { phone: client.phone };
      const phonesBefore = phonesOf(client);
      client.phone = phone;
      client.extraPhones = client.extraPhones.filter((p) => p !== phone);
      withKeys(client);
      const saved = await tx.getRepository(ClientEntity).save(client);
      await this.audit.record(tx, actor, [
        { entityType: AuditEntityType.CLIENT, entityId: id, action: 'phone_changed', before, after: { phone } },
      ]);
      await this.phonesGained(tx, actor, saved, phonesBefore);
      return saved;
    });
  }

  /** Two cards of one person become one: the source's relations move to the target, empty fields are filled, the source goes. */
  async merge(actor: Actor, targetId: string, sourceId: string): Promise<ClientEntity> {
    if (targetId === sourceId)
      throw BadInputException.field(
        'input.sourceId',
        'нельзя объединить карточку саму с собой',
        'cannot merge a card into itself',
      );
    return this.dataSource.transaction(async (tx) => {
      const { target, source } = await lockMergePair(tx, this.audit, actor.organizationId, targetId, sourceId);
      const sourceSnapshot = snapshot(source);
      // The source's phone would collide with itself on the target: free it first.
      const sourcePhone = source.phone;
      await tx
        .getRepository(ClientEntity)
        .update({ organizationId: actor.organizationId, id: source.id }, { phone: null });
      const before = snapshot(target);
      // Every phone of both cards survives: the main one once, the rest as extra phones.
      const mainPhone = target.phone ?? sourcePhone;
      const extraPhones = [
        ...new Set([...target.extraPhones, ...source.extraPhones, ...(sourcePhone ? [sourcePhone] : [])]),
      ].filter((p) => p !== mainPhone);
      const { status: _status, type: _type, ...sourceFields } = sourceSnapshot as CardFields;
      fillEmptyFields(target, { ...sourceFields, phone: mainPhone });
      target.extraPhones = extraPhones;
      withKeys(target);
      await runSql(
        tx,
        sql`INSERT INTO client_tag (organization_id, client_id, tag_id)
           SELECT organization_id, ${target.id}::uuid, tag_id FROM client_tag WHERE organization_id = ${actor.organizationId} AND client_id = ${source.id}
         ON CONFLICT DO NOTHING`,
      );
      await this.externalIds.moveAll(tx, actor.organizationId, ExternalEntityType.CLIENT, source.id, target.id);
      // What other modules keep about the source (attachments, accounts, tickets) follows: src/wiring/event-subscribers.ts.
      await this.events.publish('ClientsMerged', { tx, actor, sourceId: source.id, targetId: target.id });
      const saved = await tx.getRepository(ClientEntity).save(target);
      await tx.getRepository(ClientEntity).delete({ organizationId: actor.organizationId, id: source.id });
      const diff = changedFields(before, snapshot(saved), AUDITED_FIELDS);
      await this.audit.record(tx, actor, [
        {
          entityType: AuditEntityType.CLIENT,
          entityId: target.id,
          action: 'merged',
          before: diff?.before ?? null,
          after: { ...(diff?.after ?? {}), mergedClientId: source.id },
        },
        {
          entityType: AuditEntityType.CLIENT,
          entityId: source.id,
          action: 'merged_into',
          before: sourceSnapshot,
          after: { mergedIntoClientId: target.id },
        },
      ]);
      return saved;
    });
  }

  async addExternalId(tx: EntityManager, actor: Actor, clientId: string, id: ExternalIdValue) {
    const { row, created } = await this.externalIds.add(tx, actor, ExternalEntityType.CLIENT, clientId, {
      ...id,
      system: id.system.trim(),
      value: id.value.trim(),
    });
    if (!created) return row;
    await this.audit.record(tx, actor, [
      {
        entityType: AuditEntityType.CLIENT,
        entityId: clientId,
        action: 'external_id_added',
        after: { space: row.space, system: row.system, value: row.value, note: row.note },
      },
    ]);
    return row;
  }

  // ---- bulk (the Excel import): loads and set-based writes inside the caller's transaction ----

  /** `lock`: the caller will write these cards back whole, so a concurrent edit must wait for its transaction. */
  async findByIdsIn(
    manager: EntityManager,
    organizationId: string,
    ids: readonly string[],
    lock = false,
  ): Promise<ClientEntity[]> {
    requireOrganization(organizationId);
    if (!ids.length) return [];
    return readJsonRows(
      manager,
      ClientEntity,
      'c',
      sql`c.organization_id = ${organizationId} AND c.id = ANY(${ids.filter(isUuid)}::uuid[])`,
      { lock },
    );
  }

  newCard(organizationId: string): ClientEntity {
    return Object.assign(new ClientEntity(), {
      organizationId,
      id: randomUUID(),
      status: ClientStatus.ACTIVE,
      type: ClientType.INDIVIDUAL,
      tester: false,
      extraPhones: [],
      phone: null,
      lastName: null,
      firstName: null,
      middleName: null,
      organizationName: null,
      gender: null,
      birthDate: null,
      email: null,
      note: null,
      passportSeries: null,
      passportNumber: null,
      passportIssuedBy: null,
      passportIssuedOn: null,
      passportComment: null,
      registrationAddress: null,
      postalIndex: null,
      addressComment: null,
      inn: null,
      snils: null,
      loyaltyCardNumber: null,
    });
  }

  /**
   * Puts the given card values into the card (canonical forms, as the card's own editing stores them),
   * recomputes its search keys and returns what breaks the card's rules (empty when it is coherent).
   */
  importValues(card: ClientEntity, values: ImportValues): FieldError[] {
    Object.assign(
      card,
      canonical(values),
      values.type ? { type: values.type } : {},
      values.phone !== undefined ? { phone: values.phone } : {},
    );
    if (values.extraPhones !== undefined) card.extraPhones = values.extraPhones.filter((p) => p !== card.phone);
    withKeys(card);
    try {
      assertCoherent(card, 'row');
      return [];
    } catch (error) {
      if (error instanceof BadInputException) return error.fields ?? [];
      throw error;
    }
  }

  /**
   * Whether importValues would change the card. Every row of a re-imported, unchanged file leaves its
   * card as it is: those skip the copy, the card's rules and the before/after snapshots.
   */
  importChanges(card: ClientEntity, values: ImportValues): boolean {
    const phone = values.phone !== undefined ? values.phone : card.phone;
    if (phone !== card.phone || (values.type && values.type !== card.type)) return true;
    if (values.extraPhones !== undefined) {
      const extra = values.extraPhones.filter((p) => p !== phone);
      if (extra.length !== card.extraPhones.length || extra.some((p, i) => p !== card.extraPhones[i])) return true;
    }
    // extraPhones were compared above, as importValues sets them (canonical() would only re-normalize them).
    const next = canonical({ ...values, extraPhones: undefined }) as Record<string, unknown>;
    for (const field in next) if (next[field] !== (card as unknown as Record<string, unknown>)[field]) return true;
    return false;
  }

  /** The audited fields of a card, for before/after comparisons. */
  snapshotOf(card: ClientEntity): Record<string, unknown> {
    return snapshot(card);
  }

  async insertMany(manager: EntityManager, cards: readonly ClientEntity[]): Promise<void> {
    await insertRows(manager, ClientEntity, ['organizationId', 'id', ...BULK_COLUMNS], cards);
  }

  async updateMany(manager: EntityManager, cards: readonly ClientEntity[]): Promise<void> {
    await updateRows(manager, ClientEntity, ['organizationId', 'id'], BULK_COLUMNS, cards);
  }
}
