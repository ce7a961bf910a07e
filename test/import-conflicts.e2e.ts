import { finishedJob, registryXlsx, RegistryRowCells, uploadRegistry } from './support/registry-files';
import { createOrganization, startTestApp, TestApp, TestOrganization } from './support/test-app';

/**
 * Conflicts the import reports instead of resolving silently (#24 item 4) and ё/е (item 5): an account
 * listed under other premises, a premises number that collides after normalization, a row without the
 * card's login phone, and names re-typed without «ё».
 */
describe('registry import: conflicts are reported, never silent', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Two rows a batch: a file's rows 2–3 share a batch, row 4 is read in the next one.
    app = await startTestApp({ IMPORT_BATCH_ROWS: '2' });
  });
  afterAll(() => app.close());

  async function importFile(
    target: TestOrganization,
    rows: RegistryRowCells[],
    options: { mode?: string; allowAccountMoves?: boolean } = {},
  ) {
    const answer = await uploadRegistry(app, target.adminToken, await registryXlsx(rows), options);
    expect(answer.status).toBe(202);
    return finishedJob(app, target.adminToken, answer.body.id!);
  }

  async function problemsOf(
    target: TestOrganization,
    jobId: string,
  ): Promise<
    { row: number; column: string | null; code: string; message: string; messageEn: string; rowSkipped: boolean }[]
  > {
    const result = await app.gql(
      `query($id: String!) { importJob(id: $id) { errors(first: 50) { edges { node { row column code message messageEn rowSkipped } } } } }`,
      { id: jobId },
      target.adminToken,
    );
    return result.data.importJob.errors.edges.map((e: any) => e.node);
  }

  const query = <T>(sql: string, params: unknown[]) => app.dataSource.query(sql, params) as Promise<T[]>;
  const premisesOfAccount = async (organizationId: string, number: string) =>
    (
      await query<{ number: string }>(
        `SELECT p.number FROM account a JOIN premises p ON p.organization_id = a.organization_id AND p.id = a.premises_id WHERE a.organization_id = $1 AND a.number = $2`,
        [organizationId, number],
      )
    ).map((r) => r.number);

  async function paymentAccessOf(target: TestOrganization, lastName: string): Promise<unknown> {
    const [{ id }] = await query<{ id: string }>(
      `SELECT id FROM client WHERE organization_id = $1 AND last_name = $2`,
      [target.organizationId, lastName],
    );
    const card = await app.gql(
      `query($id: ID!) { contactCard(contactId: $id) { paymentAccess { enabled accounts { number } } } }`,
      { id },
      target.adminToken,
    );
    expect(card.errors).toBeUndefined();
    return card.data.contactCard.paymentAccess;
  }

  describe('an account listed under other premises next month («0179999»: flat 1 in month 1, flat 2 in month 2)', () => {
    const house = { city: 'Тула', street: 'ул. Мира', house: '1' };
    const month1: RegistryRowCells[] = [
      {
        ...house,
        premisesNumber: '1',
        accountNumber: '0179999',
        lastName: 'Первов',
        firstName: 'Павел',
        phones: '+7 916 179-00-01',
      },
      { ...house, premisesNumber: '2', lastName: 'Вторых', firstName: 'Вера', phones: '+7 916 179-00-02' },
    ];
    const month2: RegistryRowCells[] = [
      { ...house, premisesNumber: '1', lastName: 'Первов', firstName: 'Павел', phones: '+7 916 179-00-01' },
      {
        ...house,
        premisesNumber: '2',
        accountNumber: '0179999',
        lastName: 'Вторых',
        firstName: 'Вера',
        phones: '+7 916 179-00-02',
      },
    ];

    it('by default refuses the row, naming the premises the account is on; flat 1 keeps it and flat 2’s resident gains no payment access', async () => {
      const target = await createOrganization(app);
      expect(await importFile(target, month1)).toMatchObject({ status: 'COMPLETED', created: 2, failed: 0 });
      expect(await paymentAccessOf(target, 'Вторых')).toEqual({ enabled: false, accounts: [] });

      const job = await importFile(target, month2);
      expect(job).toMatchObject({ status: 'COMPLETED', created: 0, updated: 0, unchanged: 1, failed: 1 });
      expect(await problemsOf(target, job.id)).toEqual([
        {
          row: 3,
          column: 'Лицевой счёт',
          code: 'ACCOUNT_ON_OTHER_PREMISES',
          rowSkipped: true,
          message:
            'Лицевой счёт: лицевой счёт 0179999 открыт на помещение «Тула, ул. Мира, д. 1, кв. 1»: строка не загружена. Перенесите счёт вручную или загрузите файл с разрешением переноса счетов (allowAccountMoves)',
          messageEn:
            'Лицевой счёт: account 0179999 is on premises "Тула, ул. Мира, д. 1, кв. 1": the row was not loaded. Move the account by hand, or upload the file with account moves allowed (allowAccountMoves)',
        },
      ]);
      expect(await premisesOfAccount(target.organizationId, '0179999')).toEqual(['1']);
      expect(await paymentAccessOf(target, 'Вторых')).toEqual({ enabled: false, accounts: [] });
      expect(await paymentAccessOf(target, 'Первов')).toEqual({ enabled: true, accounts: [{ number: '0179999' }] });
      const moves = await query(
        `SELECT 1 FROM audit_entry WHERE organization_id = $1 AND entity_type = 'ACCOUNT' AND action = 'updated'`,
        [target.organizationId],
      );
      expect(moves).toEqual([]);
    });

    it('with allowAccountMoves moves it: a row warning naming flat 1, audited as the import’s change', async () => {
      const target = await createOrganization(app);
      await importFile(target, month1);
      const [flat1, flat2] = (
        await query<{ id: string }>(`SELECT id FROM premises WHERE organization_id = $1 ORDER BY number`, [
          target.organizationId,
        ])
      ).map((p) => p.id);

      const answer = await uploadRegistry(app, target.adminToken, await registryXlsx(month2), {
        allowAccountMoves: true,
      });
      const job = await finishedJob(app, target.adminToken, answer.body.id!);
      const view = await app.gql(
        `query($id: String!) { importJob(id: $id) { allowAccountMoves } }`,
        { id: job.id },
        target.adminToken,
      );
      expect(view.data.importJob.allowAccountMoves).toBe(true);
      expect(job).toMatchObject({ status: 'COMPLETED', created: 0, updated: 1, unchanged: 1, failed: 0 });
      expect(await problemsOf(target, job.id)).toEqual([
        expect.objectContaining({
          row: 3,
          column: 'Лицевой счёт',
          code: 'ACCOUNT_MOVED',
          rowSkipped: false,
          message:
            'Лицевой счёт: лицевой счёт 0179999 перенесён с помещения «Тула, ул. Мира, д. 1, кв. 1»: там этого счёта больше нет, жители этого помещения его видят',
        }),
      ]);
      expect(await premisesOfAccount(target.organizationId, '0179999')).toEqual(['2']);
      expect(await paymentAccessOf(target, 'Вторых')).toEqual({ enabled: true, accounts: [{ number: '0179999' }] });
      const audit = await query(
        `SELECT channel, channel_ref AS "channelRef", before, after FROM audit_entry WHERE organization_id = $1 AND entity_type = 'ACCOUNT' AND action = 'updated'`,
        [target.organizationId],
      );
      expect(audit).toEqual([
        { channel: 'IMPORT', channelRef: job.id, before: { premisesId: flat1 }, after: { premisesId: flat2 } },
      ]);
    });

    it('refuses a wrong allowAccountMoves value before any job exists', async () => {
      const target = await createOrganization(app);
      const form = new FormData();
      form.append('allowAccountMoves', 'может быть');
      form.append('file', new Blob([new Uint8Array(await registryXlsx(month1))]), 'реестр.xlsx');
      const response = await fetch(`${app.url}/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.adminToken}` },
        body: form,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [expect.objectContaining({ path: 'allowAccountMoves' })],
      });
    });
  });

  it('one file listing «0170001» on two flats refuses the later rows, whatever the upload allows, in the same batch and the next', async () => {
    const target = await createOrganization(app);
    const house = { city: 'Тула', street: 'ул. Двойная', house: '3' };
    const rows = ['1', '2', '3'].map((premisesNumber) => ({ ...house, premisesNumber, accountNumber: '0170001' }));
    const job = await importFile(target, rows, { allowAccountMoves: true });
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, failed: 2 });
    const problems = await problemsOf(target, job.id);
    expect(problems.map((p) => [p.row, p.code, p.rowSkipped])).toEqual([
      [3, 'ACCOUNT_LISTED_TWICE', true],
      [4, 'ACCOUNT_LISTED_TWICE', true],
    ]);
    // Row 3 is in row 2's batch and names it; row 4 comes in the next batch and still names the flat.
    expect(problems[0].message).toBe(
      'Лицевой счёт: лицевой счёт 0170001 уже указан в этом файле для помещения «Тула, ул. Двойная, д. 3, кв. 1» (строка 2): у счёта одно помещение, строка не загружена',
    );
    expect(problems[1].message).toContain('уже указан в этом файле для помещения «Тула, ул. Двойная, д. 3, кв. 1»');
    expect(problems[1].messageEn).toContain(
      'already listed in this file for premises "Тула, ул. Двойная, д. 3, кв. 1"',
    );
    expect(await premisesOfAccount(target.organizationId, '0170001')).toEqual(['1']);
  });

  it('a premises number that collides after normalization loads into the existing premises with a warning naming it', async () => {
    const target = await createOrganization(app);
    const house = { city: 'Тула', street: 'ул. Дробная', house: '4' };
    expect(await importFile(target, [{ ...house, premisesNumber: '1/2' }])).toMatchObject({ created: 1 });
    // «12» in the next file, and «12-А» then «12А» within one file.
    const job = await importFile(target, [
      { ...house, premisesNumber: '12', area: '40' },
      { ...house, premisesNumber: '12-А' },
      { ...house, premisesNumber: '12А' },
      { ...house, premisesNumber: 'кв. 12-а' },
    ]);
    expect(job).toMatchObject({ status: 'COMPLETED', created: 1, updated: 1, unchanged: 2, failed: 0 });
    const problems = await problemsOf(target, job.id);
    expect(problems.map((p) => [p.row, p.column, p.code, p.rowSkipped])).toEqual([
      [2, 'Номер помещения', 'PREMISES_NUMBER_COLLISION', false],
      [4, 'Номер помещения', 'PREMISES_NUMBER_COLLISION', false],
    ]);
    expect(problems[0].message).toBe(
      'Номер помещения: номер «12» после приведения совпадает с помещением «Тула, ул. Дробная, д. 4, кв. 1/2»: строка загружена в него; если это разные помещения, исправьте номер в файле',
    );
    expect(problems[1].messageEn).toContain('number "12А" normalizes to premises "Тула, ул. Дробная, д. 4, кв. 12-А"');
    expect(
      (
        await query<{ number: string }>(`SELECT number FROM premises WHERE organization_id = $1 ORDER BY number`, [
          target.organizationId,
        ])
      ).map((p) => p.number),
    ).toEqual(['1/2', '12-А']);
  });

  it('a row without the card’s login phone keeps the login and says so, naming the client and the phone', async () => {
    const target = await createOrganization(app);
    const flat = {
      city: 'Тула',
      street: 'ул. Телефонная',
      house: '5',
      premisesNumber: '7',
      lastName: 'Звонарёв',
      firstName: 'Илья',
    };
    await importFile(target, [{ ...flat, phones: '+7 916 555-00-01' }]);
    const job = await importFile(target, [{ ...flat, phones: '+7 916 555-00-02' }]);
    expect(job).toMatchObject({ status: 'COMPLETED', updated: 1, created: 0, failed: 0 });
    expect(await problemsOf(target, job.id)).toEqual([
      {
        row: 2,
        column: 'Телефоны',
        code: 'LOGIN_PHONE_KEPT',
        rowSkipped: false,
        message:
          'Телефоны: клиент «Звонарёв Илья» входит в приложение с телефоном +79165550001, которого в строке нет: импорт телефон входа не меняет (его меняют в карточке клиента), телефоны строки записаны как контактные',
        messageEn:
          'Телефоны: client "Звонарёв Илья" signs in to the app with +79165550001, which the row does not list: the import does not change a login phone (change it on the client\'s card); the row\'s phones are kept as contact phones',
      },
    ]);
    expect(
      await query(`SELECT phone, extra_phones FROM client WHERE organization_id = $1`, [target.organizationId]),
    ).toEqual([{ phone: '+79165550001', extra_phones: ['+79165550002'] }]);
    // Listing the login phone too (in any place) is no conflict.
    const again = await importFile(target, [{ ...flat, phones: '+7 916 555-00-02; +7 916 555-00-01' }]);
    expect(again).toMatchObject({ unchanged: 1, failed: 0 });
    expect(await problemsOf(target, again.id)).toEqual([]);
  });

  it('ё and е: «Королев Петр Семенович» over «Королёв Пётр Семёнович» is unchanged and keeps ё; «Королева …» is an update', async () => {
    const target = await createOrganization(app);
    const flat = {
      city: 'Тула',
      street: 'ул. Семёновская',
      house: '6',
      premisesNumber: '9',
      phones: '+7 916 600-00-09',
      externalSystem: '1С',
      externalId: 'K-1',
    };
    await importFile(target, [{ ...flat, lastName: 'Королёв', firstName: 'Пётр', middleName: 'Семёнович' }]);
    const name = async () =>
      await query(
        `SELECT last_name AS "lastName", first_name AS "firstName", middle_name AS "middleName" FROM client WHERE organization_id = $1`,
        [target.organizationId],
      );
    const audited = async () =>
      Number(
        (
          await query<{ n: string }>(`SELECT count(*) AS n FROM audit_entry WHERE organization_id = $1`, [
            target.organizationId,
          ])
        )[0].n,
      );
    const auditBefore = await audited();

    for (const mode of ['MERGE', 'REPLACE']) {
      const plain = await importFile(
        target,
        [{ ...flat, street: 'ул. Семеновская', lastName: 'Королев', firstName: 'Петр', middleName: 'Семенович' }],
        { mode },
      );
      expect(plain).toMatchObject({ status: 'COMPLETED', created: 0, updated: 0, unchanged: 1, failed: 0 });
      expect(await name()).toEqual([{ lastName: 'Королёв', firstName: 'Пётр', middleName: 'Семёнович' }]);
    }
    expect(await audited()).toBe(auditBefore);
    // Matched without the external id too: by name (ё folded) and phone.
    expect(
      await importFile(target, [
        {
          ...flat,
          externalId: '',
          externalSystem: '',
          lastName: 'Королев',
          firstName: 'Петр',
          middleName: 'Семенович',
        },
      ]),
    ).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    expect(
      Number(
        (
          await query<{ n: string }>(`SELECT count(*) AS n FROM client WHERE organization_id = $1`, [
            target.organizationId,
          ])
        )[0].n,
      ),
    ).toBe(1);

    const changed = await importFile(target, [
      { ...flat, lastName: 'Королева', firstName: 'Петр', middleName: 'Семенович' },
    ]);
    expect(changed).toMatchObject({ status: 'COMPLETED', updated: 1, failed: 0 });
    expect(await name()).toEqual([{ lastName: 'Королева', firstName: 'Пётр', middleName: 'Семёнович' }]);
  });
});
