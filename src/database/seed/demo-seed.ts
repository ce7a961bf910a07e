import { DataSource } from 'typeorm';
import { addressKey, searchText } from '../../buildings/address';
import { BuildingEntity } from '../../buildings/building.entity';
import { EmployeeEntity } from '../../organizations/employee.entity';
import { hashPassword } from '../../access/passwords';
import { OrganizationEntity } from '../../organizations/organization.entity';
import { EmployeeRole } from '../../kernel/role';
import { premisesNumberKey, premisesNumberSort } from '../../premises/premises-number';
import { PremisesEntity } from '../../premises/premises.entity';
import { PremisesType } from '../../premises/premises-type';
import { insertDefaultClassifier } from '../../tickets/default-classifier';
import { normalizePhone } from '../../common/validation/phone';

/** The demo logins, also listed in the README. */
export const DEMO_PASSWORD = 'domovoy-demo-2026';
export const DEMO_EMPLOYEES = [
  {
    org: 0,
    email: 'admin@sever.demo',
    fullName: 'Иванова Мария Петровна',
    role: EmployeeRole.ADMIN,
    registrations: true,
  },
  {
    org: 0,
    email: 'manager@sever.demo',
    fullName: 'Петров Сергей Андреевич',
    role: EmployeeRole.MANAGER,
    registrations: false,
  },
  {
    org: 0,
    email: 'dispatcher@sever.demo',
    fullName: 'Смирнова Ольга Викторовна',
    role: EmployeeRole.DISPATCHER,
    registrations: false,
    phone: '8 (916) 440-55-55',
  },
  {
    org: 1,
    email: 'admin@lesnaya.demo',
    fullName: 'Кузнецов Алексей Игоревич',
    role: EmployeeRole.ADMIN,
    registrations: true,
  },
  {
    org: 1,
    email: 'viewer@lesnaya.demo',
    fullName: 'Орлова Анна Сергеевна',
    role: EmployeeRole.VIEWER,
    registrations: false,
  },
];

const ORGANIZATIONS = [
  {
    name: 'УК «Домовой-Север»',
    buildings: [
      {
        city: 'Москва',
        street: 'ул. Ленина',
        house: '5',
        block: null,
        postalIndex: '125000',
        entrances: 4,
        floors: 9,
        flats: 144,
      },
      {
        city: 'Москва',
        street: 'Ленинградский проспект',
        house: '12',
        block: '2',
        postalIndex: '125040',
        entrances: 2,
        floors: 17,
        flats: 136,
      },
    ],
  },
  {
    name: 'ТСЖ «Лесная, 7»',
    buildings: [
      {
        city: 'Санкт-Петербург',
        street: 'ул. Лесная',
        house: '7',
        block: null,
        postalIndex: '194100',
        entrances: 3,
        floors: 5,
        flats: 60,
      },
    ],
  },
];

const SHEET = `<h2>Управляющая компания</h2><p>Диспетчерская: <a href="tel:+74950000000">+7 495 000-00-00</a>, круглосуточно.</p>
<h2>Аварийные службы</h2><ul><li>Газ: 104</li><li>Лифты: +7 495 000-00-01</li></ul>
<h2>Часы приёма</h2><p>Пн–Пт 9:00–18:00, обед 13:00–14:00.</p><h2>Показания счётчиков</h2><p>С 15 по 25 число.</p>`;

export async function seedDemo(dataSource: DataSource): Promise<string> {
  const exists = await dataSource.getRepository(EmployeeEntity).existsBy({ email: DEMO_EMPLOYEES[0].email });
  if (exists) return 'demo data is already loaded';
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return dataSource.transaction(async (tx) => {
    const organizations: OrganizationEntity[] = [];
    let premisesCount = 0;
    for (const spec of ORGANIZATIONS) {
      const organization = await tx.getRepository(OrganizationEntity).save({ name: spec.name });
      organizations.push(organization);
      // What OrganizationsService.create gives every new organization: a dispatcher files categorized tickets from day one.
      await insertDefaultClassifier(tx, organization.id);
      for (const b of spec.buildings) {
        const building = await tx.getRepository(BuildingEntity).save({
          organizationId: organization.id,
          city: b.city,
          street: b.street,
          house: b.house,
          block: b.block,
          postalIndex: b.postalIndex,
          addressKey: addressKey(b),
          searchText: searchText(b),
          entrances: Array.from({ length: b.entrances }, (_, i) => ({ number: i + 1, floors: b.floors })),
          referenceSheetHtml: SHEET,
          referenceSheetUpdatedAt: new Date(),
        });
        const perEntrance = b.flats / b.entrances;
        const perFloor = Math.max(1, Math.round(perEntrance / b.floors));
        const rows = Array.from({ length: b.flats }, (_, i) => {
          const number = String(i + 1);
          return {
            organizationId: organization.id,
            buildingId: building.id,
            type: PremisesType.FLAT,
            number,
            numberKey: premisesNumberKey(number),
            numberSort: premisesNumberSort(number),
            entrance: Math.floor(i / perEntrance) + 1,
            floor: Math.min(b.floors, Math.floor((i % perEntrance) / perFloor) + 1),
            area: (35 + ((i * 7) % 60) + 0.4).toFixed(2),
            rooms: 1 + (i % 3),
            cadastralNumber: null,
          };
        });
        rows.push({
          ...rows[0],
          type: PremisesType.PARKING,
          number: 'М-1',
          numberKey: premisesNumberKey('М-1'),
          numberSort: premisesNumberSort('М-1'),
          entrance: null as never,
          floor: -1,
          rooms: null as never,
          area: '13.25',
        });
        await tx.getRepository(PremisesEntity).insert(rows);
        premisesCount += rows.length;
      }
    }
    await tx.getRepository(EmployeeEntity).insert(
      DEMO_EMPLOYEES.map((e) => ({
        organizationId: organizations[e.org].id,
        email: e.email,
        passwordHash,
        fullName: e.fullName,
        role: e.role,
        receivesRegistrationRequests: e.registrations,
        // Typed as people type them, stored as EmployeesService stores them: E.164, found by the card's phone resolver.
        phone: 'phone' in e && e.phone ? normalizePhone(e.phone) : null,
        blocked: false,
      })),
    );
    return `demo data loaded: ${organizations.length} organizations, ${premisesCount} premises, ${DEMO_EMPLOYEES.length} employees (password ${DEMO_PASSWORD})`;
  });
}
